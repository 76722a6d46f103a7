package dev.tokensink.cooldown;

import dev.tokensink.model.UsageStats;

/**
 * Whether a profile's cooldown state lets it serve now, for a given model (docs/rules.md §4).
 *
 * <p>A model-scoped cooldown ({@code cooldownModel} set) blocks only requests for that model
 * (compared case-insensitively). A request naming no model is served: the caller did not say it
 * wants the limited model, and if it does, its next report is absorbed by the active window, which
 * is never extended.
 *
 * <p>A half-open {@code usage_limit} block lets one request through once {@code probeAfter} has
 * passed. The router only reports that ({@link Choice#probe()}); the caller claims the probe with
 * {@link #claimProbe} in the same atomic store update that serves it, so that concurrent requests
 * do not all probe.
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
    if (CooldownPolicy.active(s.cooldownUntil(), nowMs) && blocksModel(s.cooldownModel(), model)) {
      until = Math.max(until, s.cooldownUntil());
    }
    return until > nowMs ? until : null;
  }

  /** True when the profile is usable now only as the half-open probe of a usage-limit block. */
  public static boolean probeOnly(UsageStats s, long nowMs) {
    return s != null
        && CooldownPolicy.active(s.disabledUntil(), nowMs)
        && s.probeAfter() != null
        && s.probeAfter() <= nowMs;
  }

  /** The stats after one request took the probe: the next probe waits a full interval. */
  public static UsageStats claimProbe(UsageStats s, long nowMs, CooldownSettings settings) {
    StatsBuilder b = new StatsBuilder(s);
    b.probeAfter = nowMs + settings.probeInterval().toMillis();
    return b.build();
  }

  private static boolean blocksModel(String cooldownModel, String requested) {
    return cooldownModel == null
        || (requested != null && cooldownModel.equalsIgnoreCase(requested));
  }
}
