package dev.tokensink.proxy;

import dev.tokensink.broker.CredentialRequest;
import dev.tokensink.model.ProfileId;
import dev.tokensink.security.Caller;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.HashSet;
import java.util.Set;

/**
 * One client request on its way through the proxy: what was asked, the headers to forward (the
 * client's, without its authentication and tokensink's own headers), the buffered body when it fits
 * the bound, and the attempts made so far. Confined to the request's event loop.
 */
final class Exchange {
  final ProxyRoute route;
  final Upstream upstream;
  final Caller caller;
  final MultiMap forwarded;
  CredentialRequest request;

  /** The request body when buffered (retries possible), else null: it streams through once. */
  Buffer body;

  boolean bodyStreams;
  int failovers;
  boolean oauthRetried;
  final Set<ProfileId> failed = new HashSet<>();

  Exchange(ProxyRoute route, Upstream upstream, Caller caller, MultiMap forwarded) {
    this.route = route;
    this.upstream = upstream;
    this.caller = caller;
    this.forwarded = forwarded;
  }

  boolean pinned() {
    return !request.override().isEmpty();
  }

  String model() {
    return request.model().isEmpty() ? null : request.model();
  }
}
