package dev.tokensink.cooldown;

import java.time.Duration;
import java.util.List;

/**
 * Cooldown and failover numbers (docs/rules.md §4); {@link #DEFAULTS} are the spec's defaults.
 *
 * @param ladder cooldown-lane windows by error count; the last entry is the cap
 * @param retryAfterCap a provider's {@code retry_after} is used instead of the ladder, capped here
 * @param failureWindow counters reset after this long without a failure
 * @param resetOnExpiry counters also reset when the last window has expired (docs/rules.md §4).
 *     With it, the ladder and the doublings climb only through failures counted while no window of
 *     their lane was started (timeouts, failures inside an active window); {@code false} keeps
 *     counts across windows until an {@code OK} or the quiet {@code failureWindow}
 */
public record CooldownSettings(
    List<Duration> ladder,
    Duration retryAfterCap,
    Duration billingBase,
    Duration billingCap,
    Duration authPermanentBase,
    Duration authPermanentCap,
    Duration usageLimitDefault,
    Duration usageLimitCap,
    Duration probeInterval,
    Duration failureWindow,
    boolean resetOnExpiry) {

  /** tokensink's ladder: 30 s, 60 s, then 5 min. */
  public static final List<Duration> GENTLE_LADDER =
      List.of(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5));

  /** OpenClaw's documented ladder, available as an option: 1, 5, 25, 60 min. */
  public static final List<Duration> OPENCLAW_LADDER =
      List.of(
          Duration.ofMinutes(1),
          Duration.ofMinutes(5),
          Duration.ofMinutes(25),
          Duration.ofMinutes(60));

  public static final CooldownSettings DEFAULTS =
      new CooldownSettings(
          GENTLE_LADDER,
          Duration.ofHours(1),
          Duration.ofHours(5),
          Duration.ofHours(24),
          Duration.ofMinutes(10),
          Duration.ofMinutes(60),
          Duration.ofHours(1),
          Duration.ofDays(7),
          Duration.ofMinutes(5),
          Duration.ofHours(24),
          true);

  public CooldownSettings {
    if (ladder == null || ladder.isEmpty()) {
      throw new IllegalArgumentException("cooldown ladder must have at least one step");
    }
    ladder = List.copyOf(ladder);
    for (Duration d :
        List.of(
            retryAfterCap,
            billingBase,
            billingCap,
            authPermanentBase,
            authPermanentCap,
            usageLimitDefault,
            usageLimitCap,
            probeInterval,
            failureWindow)) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException("cooldown durations must be set and not negative");
      }
    }
  }

  public CooldownSettings withLadder(List<Duration> next) {
    return new CooldownSettings(
        next,
        retryAfterCap,
        billingBase,
        billingCap,
        authPermanentBase,
        authPermanentCap,
        usageLimitDefault,
        usageLimitCap,
        probeInterval,
        failureWindow,
        resetOnExpiry);
  }

  public CooldownSettings withResetOnExpiry(boolean next) {
    return new CooldownSettings(
        ladder,
        retryAfterCap,
        billingBase,
        billingCap,
        authPermanentBase,
        authPermanentCap,
        usageLimitDefault,
        usageLimitCap,
        probeInterval,
        failureWindow,
        next);
  }

  /**
   * The cooldown-lane window for the {@code errorCount}-th failure (1-based), capped at the last
   * step.
   */
  Duration ladderStep(int errorCount) {
    return ladder.get(Math.min(Math.max(errorCount, 1), ladder.size()) - 1);
  }

  /** {@code base} doubled per earlier failure of the same reason, capped. */
  static Duration doubling(Duration base, Duration cap, int count) {
    int shifts = Math.min(Math.max(count - 1, 0), 30);
    Duration d = base.multipliedBy(1L << shifts);
    return d.compareTo(cap) > 0 ? cap : d;
  }
}
