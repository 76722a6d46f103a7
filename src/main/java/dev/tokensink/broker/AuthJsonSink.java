package dev.tokensink.broker;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProviderId;
import dev.tokensink.model.Secret;
import dev.tokensink.routing.Choice;
import dev.tokensink.routing.RouteRequest;
import dev.tokensink.routing.Router;
import dev.tokensink.routing.RoutingException;
import dev.tokensink.store.FileSink;
import dev.tokensink.store.StoreException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The {@code auth.json} file sink (docs/rules.md §1): for consumers that read files instead of
 * calling gRPC, each agent's {@code auth.json} holds, per provider, the credential tokensink serves
 * by default. Rewritten atomically (by {@link FileSink}) whenever that changes — after a refresh, a
 * login, a cooldown. Called on the thread that updated the cache, never on an event loop.
 */
public final class AuthJsonSink {
  private static final Logger LOG = Logger.getLogger(AuthJsonSink.class);

  private final FileSink sink;
  private final Router router;
  private final RefResolver refs;
  private final Map<String, List<String>> configuredOrder;
  private final Clock clock;
  private final Map<AgentId, Map<ProviderId, FileSink.Entry>> written = new ConcurrentHashMap<>();

  public AuthJsonSink(
      FileSink sink,
      Router router,
      RefResolver refs,
      Map<String, List<String>> configuredOrder,
      Clock clock) {
    this.sink = sink;
    this.router = router;
    this.refs = refs;
    this.configuredOrder = configuredOrder;
    this.clock = clock;
  }

  /** Cache listener: recomputes the agent's served credentials and writes them if they changed. */
  public void changed(AgentSnapshot before, AgentSnapshot next) {
    Map<ProviderId, FileSink.Entry> entries = served(next);
    Map<ProviderId, FileSink.Entry> last = written.get(next.agent());
    if (Objects.equals(last, entries)) {
      return;
    }
    try {
      sink.writeSink(next.agent(), entries);
      written.put(next.agent(), entries);
    } catch (StoreException e) {
      LOG.warnf("could not write auth.json of agent %s: %s", next.agent(), e.getMessage());
    }
  }

  private Map<ProviderId, FileSink.Entry> served(AgentSnapshot s) {
    Map<ProviderId, FileSink.Entry> out = new TreeMap<>();
    long now = clock.millis();
    for (Profile p : s.profiles().values()) {
      ProviderId provider = p.provider();
      if (out.containsKey(provider)) {
        continue;
      }
      try {
        Choice c =
            router.choose(RouteRequest.of(s, provider, now).withConfiguredOrder(configuredOrder));
        Profile chosen = c.profile();
        Secret secret = chosen.credential().secret();
        if (secret == null) {
          var r = refs.cached(RefResolver.refOf(chosen));
          secret = r != null && r.resolved() ? r.secret() : null;
        }
        if (secret != null) {
          out.put(
              provider,
              new FileSink.Entry(
                  chosen.id(), chosen.type(), secret, chosen.credential().expiresAt()));
        }
      } catch (RoutingException e) {
        // nothing servable for this provider now: it is left out of the sink
      }
    }
    return out;
  }
}
