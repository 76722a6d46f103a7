package dev.tokensink.broker;

import dev.tokensink.cache.AgentCache;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.AuthState;
import dev.tokensink.model.ProfileId;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.StoreException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Remembers which profile served last ({@code lastUsed}, {@code lastGood}) without writing on the
 * request path: {@link #served} only records in memory; {@link #flush} (the scheduler, every
 * second) writes what accumulated, one update per agent, under the agent lock. Least-recently-used
 * rotation therefore moves at the flush interval.
 */
public final class UsageRecorder {
  private static final Logger LOG = Logger.getLogger(UsageRecorder.class);

  private record Use(ProfileId profile, long at) {}

  private final CredentialStore store;
  private final AgentCache cache;
  private final Map<AgentId, Map<ProfileId, Long>> pending = new ConcurrentHashMap<>();

  public UsageRecorder(CredentialStore store, AgentCache cache) {
    this.store = store;
    this.cache = cache;
  }

  /** Hot path: a map put, no I/O. Env pseudo-profiles are not stored and not recorded. */
  public void served(AgentId agent, ProfileId profile, boolean stored, long nowMs) {
    if (stored) {
      pending
          .computeIfAbsent(agent, a -> new ConcurrentHashMap<>())
          .merge(profile, nowMs, Math::max);
    }
  }

  /** Writes the accumulated uses (blocking; scheduler thread). */
  public void flush() {
    for (AgentId agent : pending.keySet()) {
      Map<ProfileId, Long> uses = pending.remove(agent);
      if (uses == null || uses.isEmpty()) {
        continue;
      }
      try {
        AgentSnapshot written =
            store.update(
                agent,
                tx -> {
                  AgentSnapshot cur = tx.current();
                  AuthState state = cur.state();
                  Map<String, Use> newest = new HashMap<>();
                  for (var e : uses.entrySet()) {
                    if (cur.profile(e.getKey()) == null) {
                      continue; // removed meanwhile (logout)
                    }
                    var stats = state.usage(e.getKey());
                    if (stats.lastUsed() == null || stats.lastUsed() < e.getValue()) {
                      state = state.withUsage(e.getKey(), stats.withLastUsed(e.getValue()));
                    }
                    newest.merge(
                        cur.profile(e.getKey()).provider().value(),
                        new Use(e.getKey(), e.getValue()),
                        (a, b) -> a.at() >= b.at() ? a : b);
                  }
                  for (var e : newest.entrySet()) {
                    state = state.withLastGood(e.getKey(), e.getValue().profile());
                  }
                  AgentSnapshot next = cur.withState(state);
                  tx.write(next);
                  return next;
                });
        cache.put(written);
      } catch (StoreException e) {
        LOG.warnf("could not record usage for agent %s: %s", agent, e.getMessage());
      }
    }
  }
}
