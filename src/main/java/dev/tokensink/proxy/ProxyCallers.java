package dev.tokensink.proxy;

import dev.tokensink.security.Caller;
import dev.tokensink.security.Callers;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who calls the proxy (docs/security.md): the same callers as gRPC. An unmodified SDK sends its API
 * key as {@code authorization: Bearer …} (OpenAI) or {@code x-api-key} (Anthropic), so either
 * carries the caller's token. With callers configured, every TCP request needs a caller's token;
 * without, only loopback peers are served. On the Unix socket a request without a token is a local
 * caller (the socket's file mode is the access control).
 */
public final class ProxyCallers {
  private final Callers callers;
  private final boolean socket;

  public ProxyCallers(Callers callers, boolean socket) {
    this.callers = callers;
    this.socket = socket;
  }

  /**
   * @throws ProxyError 401 for a missing or unknown token, 403 for a non-loopback peer while no
   *     callers are configured
   */
  public Caller identify(HttpServerRequest in) {
    if (callers.isEmpty()) {
      if (socket || isLoopback(in.remoteAddress())) {
        return Caller.local(socket ? "socket" : "loopback");
      }
      throw new ProxyError(
          403,
          "PERMISSION_DENIED",
          "only loopback clients are served while no callers are configured (tokensink.callers)");
    }
    String token = token(in);
    if (token == null) {
      if (socket) {
        return Caller.local("socket");
      }
      throw new ProxyError(
          401,
          "UNAUTHENTICATED",
          "no caller token: set your SDK's API key to this caller's tokensink token"
              + " (sent as 'authorization: Bearer …' or 'x-api-key')");
    }
    return callers
        .byToken(token)
        .orElseThrow(
            () ->
                new ProxyError(
                    401,
                    "UNAUTHENTICATED",
                    "unknown or revoked caller token; use the token the operator configured for"
                        + " this caller (tokensink.callers), not a provider key"));
  }

  private static String token(HttpServerRequest in) {
    String auth = in.getHeader("authorization");
    if (auth != null && auth.length() > 7 && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String t = auth.substring(7).trim();
      if (!t.isEmpty()) {
        return t;
      }
    }
    String key = in.getHeader("x-api-key");
    return key == null || key.isBlank() ? null : key.trim();
  }

  private static boolean isLoopback(SocketAddress remote) {
    if (remote == null || remote.isDomainSocket() || remote.hostAddress() == null) {
      return false;
    }
    try {
      return InetAddress.getByName(remote.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
