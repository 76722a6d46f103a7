package dev.tokensink.events;

import dev.tokensink.events.LifecycleEvent.Type;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Profile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Remembers which EXPIRING (per lead time) and EXPIRED events were already emitted for each
 * credential generation, and forgets generations that are gone. Synchronized: ticks are rare and
 * short.
 */
final class ExpiryTracker {
  /** An event due now; {@code leadTime} is null for EXPIRED. */
  record Due(ExpiryKey key, Duration leadTime, LifecycleEvent event) {}

  private record LeadKey(ExpiryKey key, Duration leadTime) {}

  private final Set<ExpiryKey> expiredSent = new HashSet<>();
  private final Set<LeadKey> expiringSent = new HashSet<>();

  synchronized List<Due> due(
      Collection<AgentSnapshot> snapshots, Set<Duration> leads, Instant now) {
    long nowMs = now.toEpochMilli();
    List<Due> out = new ArrayList<>();
    Set<ExpiryKey> live = new HashSet<>();
    for (AgentSnapshot s : snapshots) {
      for (Profile p : s.profiles().values()) {
        Long exp = p.credential().expiresAt();
        if (exp == null) {
          continue;
        }
        ExpiryKey key = new ExpiryKey(s.agent(), p.id(), exp);
        live.add(key);
        if (exp <= nowMs) {
          if (expiredSent.add(key)) {
            out.add(
                new Due(
                    key,
                    null,
                    LifecycleEvent.of(
                        Type.EXPIRED, s.agent(), p.id(), p.provider(), exp, now, "expired")));
          }
          continue;
        }
        for (Duration lead : leads) {
          if (exp - nowMs <= lead.toMillis() && expiringSent.add(new LeadKey(key, lead))) {
            out.add(
                new Due(
                    key,
                    lead,
                    LifecycleEvent.of(
                        Type.EXPIRING,
                        s.agent(),
                        p.id(),
                        p.provider(),
                        exp,
                        now,
                        "expires within " + lead)));
          }
        }
      }
    }
    expiredSent.retainAll(live);
    expiringSent.removeIf(k -> !live.contains(k.key()));
    return out;
  }
}
