package dev.tokensink.cooldown;

import dev.tokensink.model.UsageStats;
import dev.tokensink.model.UsageStats.ModelCooldown;

/**
 * Whether a profile's usage state lets it serve now, for a given model (docs/rules.md §4). Pure.
 *
 * <p>A model's own window blocks only requests for that model (compared case-insensitively); a
 * request naming no model is served: the caller did not say it wants a limited model, and if it
 * does, its next report is absorbed by the active window, which is never extended.
 *
 * <p>A half-open {@code usage_limit} block lets one request through once {@code probeAfter} has
 * passed. The router reports that ({@code Choice.probe()}); the broker then claims the probe with
 * {@link #claimProbe} in an update under the agent's lock (file lock across processes, row lock
 * across replicas), and only the request whose claim was written uses the profile.
 */
public final class Usability {
  private Usability() {}

  /** Null when usable now (perhaps only as the probe), else the epoch ms it becomes usable. */
  public static Long usableAt(UsageStats s, String model, long nowMs) {
    if (s == null) {
      return null;
    }
    long until = 0;
    if (CooldownPolicy.active(s.disabledUntil(), nowMs)) {
      if (s.probeAfter() == null) {
        until = s.disabledUntil();
      } else if (s.probeAfter() > nowMs) {
        until = Math.min(s.probeAfter(), s.disabledUntil());
      }
    }
    if (CooldownPolicy.active(s.cooldownUntil(), nowMs)) {
      until = Math.max(until, s.cooldownUntil());
    }
    ModelCooldown m = s.model(model);
    if (m != null && m.active(nowMs)) {
      until = Math.max(until, m.cooldownUntil());
    }
    return until > nowMs ? until : null;
  }

  /** The stored reason of what blocks the profile for {@code model} now, or null. */
  public static String blockReason(UsageStats s, String model, long nowMs) {
    if (s == null) {
      return null;
    }
    if (CooldownPolicy.active(s.disabledUntil(), nowMs)) {
      return s.disabledReason();
    }
    if (CooldownPolicy.active(s.cooldownUntil(), nowMs)) {
      return s.cooldownReason();
    }
    ModelCooldown m = s.model(model);
    return m != null && m.active(nowMs) ? m.cooldownReason() + " of model " + m.model() : null;
  }

  /** True when the profile is usable now only as the half-open probe of a usage-limit block. */
  public static boolean probeOnly(UsageStats s, long nowMs) {
    return s != null
        && CooldownPolicy.active(s.disabledUntil(), nowMs)
        && s.probeAfter() != null
        && s.probeAfter() <= nowMs;
  }

  /**
   * The stats after one request took the probe (the next probe waits a full interval), or null when
   * no probe is open at {@code nowMs} (another request took it).
   */
  public static UsageStats claimProbe(UsageStats s, long nowMs, CooldownSettings settings) {
    if (!probeOnly(s, nowMs)) {
      return null;
    }
    StatsBuilder b = new StatsBuilder(s);
    b.probeAfter = nowMs + settings.probeInterval().toMillis();
    return b.build();
  }
}
