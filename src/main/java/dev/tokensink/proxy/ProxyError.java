package dev.tokensink.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.broker.BrokerException;
import dev.tokensink.model.InvalidIdException;
import dev.tokensink.routing.RoutingException;
import io.vertx.core.buffer.Buffer;

/**
 * An answer of the proxy itself (not of the provider): an HTTP status, the api.md status code name
 * and a message saying what to do next, never a secret. The JSON body has the error shape both
 * OpenAI's and Anthropic's SDKs read ({@code {"type":"error","error":{"type","code","message"}}}).
 */
public final class ProxyError extends RuntimeException {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int status;
  private final String code;

  public ProxyError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** The error of the broker, the id parser or the override parser, as an HTTP answer. */
  public static ProxyError of(Throwable e) {
    if (e instanceof ProxyError p) {
      return p;
    }
    if (e instanceof BrokerException b) {
      return new ProxyError(httpStatus(b.code().name()), b.code().name(), b.getMessage());
    }
    if (e instanceof RoutingException r) {
      return new ProxyError(httpStatus(r.kind().name()), r.kind().name(), r.getMessage());
    }
    if (e instanceof InvalidIdException i) {
      return new ProxyError(400, "INVALID_ARGUMENT", i.getMessage());
    }
    // unexpected: the class name only, a message could carry anything
    return new ProxyError(
        500,
        "INTERNAL",
        "tokensink could not forward the request ("
            + e.getClass().getSimpleName()
            + "); see the tokensink log");
  }

  static int httpStatus(String code) {
    return switch (code) {
      case "INVALID_ARGUMENT" -> 400;
      case "UNAUTHENTICATED" -> 401;
      case "PERMISSION_DENIED" -> 403;
      case "NOT_FOUND" -> 404;
      case "FAILED_PRECONDITION" -> 401; // the stored credential needs a person: not retryable
      case "RESOURCE_EXHAUSTED" -> 429;
      case "UNAVAILABLE" -> 503;
      default -> 500;
    };
  }

  public Buffer body() {
    ObjectNode root = JSON.createObjectNode().put("type", "error");
    root.putObject("error")
        .put("type", "tokensink_error")
        .put("code", code)
        .put("message", getMessage());
    try {
      return Buffer.buffer(JSON.writeValueAsBytes(root));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "ProxyError[" + status + " " + code + ": " + getMessage() + "]";
  }
}
