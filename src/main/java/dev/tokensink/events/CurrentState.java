package dev.tokensink.events;

import dev.tokensink.events.LifecycleEvent.Type;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ReauthMark;
import dev.tokensink.model.UsageStats;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The events a new subscriber gets first (docs/api.md): each matching profile that needs re-auth,
 * is expired, expires within the lead time, or is in cooldown / disabled. A pure function of the
 * snapshots and {@code now}.
 */
final class CurrentState {
  private CurrentState() {}

  /** Adds the events to {@code out} and the expiry keys it reported to {@code sent}. */
  static void events(
      Collection<AgentSnapshot> snapshots,
      EventFilter filter,
      Duration leadTime,
      Instant now,
      List<LifecycleEvent> out,
      Set<ExpiryKey> sent) {
    long nowMs = now.toEpochMilli();
    for (AgentSnapshot s : snapshots) {
      for (Profile p : s.profiles().values()) {
        if (!filter.matches(s.agent(), p.provider())) {
          continue;
        }
        Long exp = p.credential().expiresAt();
        ReauthMark mark = s.state().reauth().get(p.id());
        if (mark != null) {
          out.add(
              LifecycleEvent.of(
                  Type.REAUTH_REQUIRED, s.agent(), p.id(), p.provider(), exp, now, mark.reason()));
        } else if (exp != null && exp <= nowMs) {
          out.add(
              LifecycleEvent.of(
                  Type.EXPIRED, s.agent(), p.id(), p.provider(), exp, now, "expired"));
          sent.add(new ExpiryKey(s.agent(), p.id(), exp));
        } else if (exp != null && exp - nowMs <= leadTime.toMillis()) {
          out.add(
              LifecycleEvent.of(
                  Type.EXPIRING,
                  s.agent(),
                  p.id(),
                  p.provider(),
                  exp,
                  now,
                  "expires within " + leadTime));
          sent.add(new ExpiryKey(s.agent(), p.id(), exp));
        }
        UsageStats u = s.state().usage(p.id());
        if (u.disabled(nowMs)) {
          out.add(
              LifecycleEvent.of(
                  Type.COOLDOWN_STARTED,
                  s.agent(),
                  p.id(),
                  p.provider(),
                  exp,
                  now,
                  "disabled ("
                      + u.disabledReason()
                      + ") until "
                      + Instant.ofEpochMilli(u.disabledUntil())));
        } else if (u.inCooldown(nowMs)) {
          out.add(
              LifecycleEvent.of(
                  Type.COOLDOWN_STARTED,
                  s.agent(),
                  p.id(),
                  p.provider(),
                  exp,
                  now,
                  "cooldown ("
                      + u.cooldownReason()
                      + ") until "
                      + Instant.ofEpochMilli(u.cooldownUntil())
                      + (u.cooldownModel() == null ? "" : " for model " + u.cooldownModel())));
        }
      }
    }
  }
}
