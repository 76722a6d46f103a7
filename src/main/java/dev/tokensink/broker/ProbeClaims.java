package dev.tokensink.broker;

import dev.tokensink.cache.AgentCache;
import dev.tokensink.cooldown.CooldownSettings;
import dev.tokensink.cooldown.Usability;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.UsageStats;
import dev.tokensink.store.CredentialStore;
import java.time.Clock;

/**
 * Claims the half-open probe of a {@code usage_limit} block (docs/rules.md §4): the claim is
 * written with the usage state under the agent's lock (an OS file lock across processes on one
 * state dir, a row lock across PostgreSQL replicas) after re-reading it, so of all requests that
 * saw the probe open, in every thread, process and replica, exactly one per probe interval wins.
 * Blocking: call it on a worker thread. Only a request that found a blocked profile's probe open
 * gets here, at most a few times per probe interval, never on the cached path.
 */
public final class ProbeClaims {
  private final CredentialStore store;
  private final AgentCache cache;
  private final Clock clock;
  private final CooldownSettings settings;

  public ProbeClaims(
      CredentialStore store, AgentCache cache, Clock clock, CooldownSettings settings) {
    this.store = store;
    this.cache = cache;
    this.clock = clock;
    this.settings = settings;
  }

  /**
   * True when this request took the probe of {@code id}; false when another took it first (the
   * cache then holds the state that says so, and routing moves on).
   */
  public boolean claim(AgentId agent, ProfileId id) {
    boolean[] won = {false};
    AgentSnapshot seen =
        store.update(
            agent,
            tx -> {
              AgentSnapshot cur = tx.current();
              long now = clock.millis();
              UsageStats claimed = Usability.claimProbe(cur.state().usage(id), now, settings);
              if (cur.profile(id) == null || claimed == null) {
                return cur;
              }
              AgentSnapshot next = cur.withState(cur.state().withUsage(id, claimed));
              tx.write(next);
              won[0] = true;
              return next;
            });
    cache.put(seen);
    return won[0];
  }
}
