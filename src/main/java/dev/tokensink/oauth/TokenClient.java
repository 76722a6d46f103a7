package dev.tokensink.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokensink.config.ProviderSettings;
import dev.tokensink.model.Secret;
import dev.tokensink.oauth.TokenEndpointException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Flow;
import java.util.stream.Collectors;
import javax.net.ssl.SSLHandshakeException;

/**
 * Calls a provider's token endpoint (authorization code exchange, refresh) and revocation endpoint
 * (RFC 7009). Requests are form posts or JSON per {@link ProviderSettings#tokenRequest()}; the
 * client secret, when configured, goes in the body ({@code client_secret_post}). Thread-safe and
 * stateless apart from the shared {@link HttpClient}. Failures are {@link TokenEndpointException}s
 * whose messages never contain a token, code or response body.
 */
public final class TokenClient {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> GRANT_GONE =
      Set.of(
          "invalid_grant",
          "refresh_token_reused",
          "refresh_token_expired",
          "refresh_token_invalidated",
          "token_revoked",
          "invalid_token");

  private final HttpClient http;
  private final Duration requestTimeout;

  public TokenClient() {
    this(DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
  }

  public TokenClient(Duration connectTimeout, Duration requestTimeout) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    this.requestTimeout = requestTimeout;
  }

  /** Exchanges an authorization code (with its PKCE verifier) for tokens. */
  public TokenResponse exchangeCode(
      ProviderSettings p, Secret code, Secret verifier, String redirectUri)
      throws TokenEndpointException {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("grant_type", "authorization_code");
    body.put("code", code.reveal());
    body.put("code_verifier", verifier.reveal());
    body.put("redirect_uri", redirectUri);
    return tokenCall(p, "code exchange", body, p.jsonTokenRequest());
  }

  /** Uses a refresh token. The answer may carry no refresh token: then the old one stays valid. */
  public TokenResponse refresh(ProviderSettings p, Secret refreshToken)
      throws TokenEndpointException {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("grant_type", "refresh_token");
    body.put("refresh_token", refreshToken.reveal());
    return tokenCall(p, "refresh", body, p.jsonTokenRequest());
  }

  /**
   * Asks {@code introspection-url} (RFC 7662) whether a refresh token is still active: true when
   * the provider says {@code "active": true}. Used after a refresh whose answer was lost, to learn
   * whether the provider processed it (docs/rules.md §2).
   *
   * @throws TokenEndpointException when no provider answer says either (any failure, any kind)
   */
  public boolean introspect(ProviderSettings p, Secret refreshToken) throws TokenEndpointException {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("token", refreshToken.reveal());
    body.put("token_type_hint", "refresh_token");
    Call call = new Call(p, "introspection", secretsOf(p, body));
    HttpResponse<byte[]> r =
        send(call, URI.create(p.introspectionUrl()), withClient(p, body), false);
    JsonNode answer = parseObject(r.body());
    if (r.statusCode() / 100 != 2 || answer == null || !answer.has("active")) {
      throw r.statusCode() / 100 == 2
          ? call.transientFailure(r.statusCode(), "the answer has no \"active\" field")
          : call.failure(r.statusCode(), answer);
    }
    return answer.get("active").asBoolean(false);
  }

  /**
   * Revokes a token at {@code revoke-url} (RFC 7009, always a form post). {@code hint} is {@code
   * refresh_token}, {@code access_token} or null. Revoking an unknown token succeeds.
   */
  public void revoke(ProviderSettings p, Secret token, String hint) throws TokenEndpointException {
    if (p.revokeUrl() == null || p.revokeUrl().isBlank()) {
      throw new TokenEndpointException(
          Kind.REJECTED,
          p.id(),
          0,
          null,
          "provider "
              + p.id()
              + " has no revoke-url configured (tokensink.providers."
              + p.id()
              + ".revoke-url)",
          null);
    }
    Map<String, String> body = new LinkedHashMap<>();
    body.put("token", token.reveal());
    if (hint != null) {
      body.put("token_type_hint", hint);
    }
    Call call = new Call(p, "revocation", secretsOf(p, body));
    HttpResponse<byte[]> r = send(call, URI.create(p.revokeUrl()), withClient(p, body), false);
    if (r.statusCode() / 100 != 2) {
      throw call.failure(r.statusCode(), parseObject(r.body()));
    }
  }

  private TokenResponse tokenCall(
      ProviderSettings p, String what, Map<String, String> body, boolean json)
      throws TokenEndpointException {
    Call call = new Call(p, what, secretsOf(p, body));
    HttpResponse<byte[]> r = send(call, URI.create(p.tokenUrl()), withClient(p, body), json);
    int status = r.statusCode();
    JsonNode answer = parseObject(r.body());
    if (status / 100 != 2 || (answer != null && answer.hasNonNull("error"))) {
      throw call.failure(status, answer);
    }
    // A 2xx that is not a token answer: the provider may have issued (and rotated) tokens that did
    // not reach us intact, so it counts as a lost answer, never as a retryable error.
    if (answer == null) {
      throw call.lost(status, "the body is not JSON (an HTML page or garbage)");
    }
    String access = text(answer, "access_token");
    if (access == null || access.isBlank()) {
      throw call.lost(status, "the answer has no access_token");
    }
    return new TokenResponse(
        Secret.of(access),
        Secret.ofNullable(blankToNull(text(answer, "refresh_token"))),
        expiresIn(answer.get("expires_in")),
        Secret.ofNullable(blankToNull(text(answer, "id_token"))),
        text(answer, "scope"),
        text(answer, "token_type"));
  }

  /**
   * Sends one request. Failures tell apart a request that certainly never reached the provider
   * ({@link Kind#NOT_SENT}: no connection, or the body was not yet wholly handed to the connection)
   * from one that was sent and whose answer did not come back ({@link Kind#ANSWER_LOST}).
   */
  private HttpResponse<byte[]> send(Call call, URI uri, Map<String, String> body, boolean json)
      throws TokenEndpointException {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Accept", "application/json")
            .header("User-Agent", "tokensink");
    SentBody sent;
    try {
      if (json) {
        req.header("Content-Type", "application/json");
        sent = new SentBody(JSON.writeValueAsBytes(body));
      } else {
        req.header("Content-Type", "application/x-www-form-urlencoded");
        sent = new SentBody(form(body).getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw call.notSent("cannot encode the request", null);
    }
    try {
      return http.send(req.POST(sent).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpConnectTimeoutException e) {
      throw call.notSent("connect timed out", e);
    } catch (ConnectException | UnresolvedAddressException | SSLHandshakeException e) {
      throw call.notSent(describe(e), e);
    } catch (HttpTimeoutException e) {
      if (!sent.handedOver()) {
        throw call.notSent("timed out before the request was sent", e);
      }
      throw call.lost(0, "no answer within " + requestTimeout.toMillis() + " ms");
    } catch (IOException e) {
      if (!sent.handedOver() || e.getCause() instanceof ConnectException) {
        throw call.notSent(describe(e), e);
      }
      throw call.lost(0, "the connection failed before the whole answer (" + describe(e) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (!sent.handedOver()) {
        throw call.notSent("interrupted", null);
      }
      throw call.lost(0, "interrupted while waiting for the answer");
    } catch (RuntimeException e) {
      if (e.getCause() instanceof UnresolvedAddressException || !sent.handedOver()) {
        throw call.notSent(describe(e), e);
      }
      throw e;
    }
  }

  private static String describe(Throwable e) {
    return "network error (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
  }

  private static Map<String, String> withClient(ProviderSettings p, Map<String, String> body) {
    Map<String, String> all = new LinkedHashMap<>(body);
    all.put("client_id", p.clientId());
    if (p.clientSecret() != null && !p.clientSecret().isBlank()) {
      all.put("client_secret", p.clientSecret());
    }
    return all;
  }

  private static List<String> secretsOf(ProviderSettings p, Map<String, String> body) {
    List<String> secrets = new ArrayList<>();
    for (String k : List.of("code", "code_verifier", "refresh_token", "token")) {
      secrets.add(body.get(k));
    }
    secrets.add(p.clientSecret());
    return secrets;
  }

  private static String form(Map<String, String> body) {
    return body.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /**
   * The body as a JSON object, or null; parser messages are dropped because they quote the body.
   */
  private static JsonNode parseObject(byte[] body) {
    try {
      JsonNode n = JSON.readTree(body);
      return n != null && n.isObject() ? n : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Long expiresIn(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isNumber()) {
      return n.asLong();
    }
    try {
      return Long.parseLong(n.asText().trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** One endpoint call: knows what to redact and how to word failures. */
  private record Call(ProviderSettings p, String what, List<String> secrets) {
    String prefix(int status) {
      return "provider "
          + p.id()
          + ": "
          + what
          + " failed"
          + (status > 0 ? ": HTTP " + status : "");
    }

    TokenEndpointException notSent(String detail, Throwable cause) {
      return new TokenEndpointException(
          Kind.NOT_SENT,
          p.id(),
          0,
          null,
          prefix(0) + ": " + Redaction.clean(detail, secrets) + " (the request was not sent)",
          cause);
    }

    TokenEndpointException lost(int status, String detail) {
      return new TokenEndpointException(
          Kind.ANSWER_LOST,
          p.id(),
          status,
          null,
          prefix(status) + ": " + Redaction.clean(detail, secrets) + " (the answer was lost)",
          null);
    }

    TokenEndpointException transientFailure(int status, String detail) {
      return new TokenEndpointException(
          Kind.TRANSIENT, p.id(), status, null, prefix(status) + ": " + detail, null);
    }

    TokenEndpointException failure(int status, JsonNode answer) {
      String error = answer == null ? null : Redaction.clean(text(answer, "error"), secrets);
      String desc =
          answer == null ? null : Redaction.clean(text(answer, "error_description"), secrets);
      Kind kind;
      if (error != null && GRANT_GONE.contains(error)) {
        kind = Kind.INVALID_GRANT;
      } else if (status >= 500 || status == 408 || status == 429 || status / 100 == 2) {
        kind = Kind.TRANSIENT;
      } else {
        kind = Kind.REJECTED;
      }
      StringBuilder m = new StringBuilder(prefix(status));
      if (error != null) {
        m.append(" ").append(error);
        if (desc != null && !desc.isBlank()) {
          m.append(" (").append(desc).append(")");
        }
      } else if (answer == null) {
        m.append(" (no OAuth error in the answer)");
      }
      if (kind == Kind.INVALID_GRANT) {
        m.append("; the grant is no longer valid: run `tokensink models auth login --provider ")
            .append(p.id())
            .append("`");
      }
      return new TokenEndpointException(kind, p.id(), status, error, m.toString(), null);
    }
  }

  /**
   * The request body, remembering whether the HTTP client took all of it. Until it has, the
   * request's last byte cannot have been written, so the provider cannot have acted on it (the JDK
   * client subscribes to the body only once connected).
   */
  private static final class SentBody implements HttpRequest.BodyPublisher {
    private final HttpRequest.BodyPublisher bytes;
    private final long length;
    private volatile boolean handedOver;

    SentBody(byte[] body) {
      this.bytes = HttpRequest.BodyPublishers.ofByteArray(body);
      this.length = body.length;
    }

    boolean handedOver() {
      return handedOver;
    }

    @Override
    public long contentLength() {
      return length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
      bytes.subscribe(
          new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription sub) {
              s.onSubscribe(sub);
            }

            @Override
            public void onNext(ByteBuffer b) {
              s.onNext(b);
            }

            @Override
            public void onError(Throwable t) {
              s.onError(t);
            }

            @Override
            public void onComplete() {
              handedOver = true;
              s.onComplete();
            }
          });
    }
  }
}
