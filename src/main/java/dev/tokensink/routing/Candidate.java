package dev.tokensink.routing;

import dev.tokensink.cooldown.CooldownPolicy;
import dev.tokensink.cooldown.Usability;
import dev.tokensink.model.Profile;
import dev.tokensink.model.UsageStats;

/**
 * One profile judged for one request: a credential problem, a timed block, or usable.
 *
 * @param usableAtMs when a cooldown or disabled window lets it serve again; null when not blocked
 * @param blockReason the stored reason of that window
 */
record Candidate(
    Profile profile, Unusable problem, Long usableAtMs, String blockReason, boolean probe) {

  static Candidate assess(Profile p, RouteRequest r, CredentialCheck check) {
    Unusable problem = check.check(p, r.snapshot().state(), r.nowMs());
    if (problem != null) {
      return new Candidate(p, problem, null, null, false);
    }
    UsageStats s = r.snapshot().state().usage(p.id());
    Long at = Usability.usableAt(s, r.effectiveModel(), r.nowMs());
    if (at == null) {
      return new Candidate(p, null, null, null, Usability.probeOnly(s, r.nowMs()));
    }
    String reason =
        CooldownPolicy.active(s.disabledUntil(), r.nowMs())
            ? s.disabledReason()
            : s.cooldownReason();
    return new Candidate(p, null, at, reason, false);
  }

  boolean usable() {
    return problem == null && usableAtMs == null;
  }

  /** 0 usable, 1 waiting for a window, 2 needs a person. */
  int rank() {
    return usable() ? 0 : problem == null ? 1 : 2;
  }
}
