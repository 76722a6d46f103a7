package dev.tokensink.cooldown;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The numbers of docs/rules.md §4, all configuration ({@code tokensink.cooldown.*}, read by {@link
 * CooldownConfig}). {@link #DEFAULTS} are tokensink's; {@link #OPENCLAW} is OpenClaw's old ladder
 * (1, 5, 25, 60 min for every cooldown reason, billing 5 h doubling to 24 h), the preset {@code
 * tokensink.cooldown.preset=openclaw}.
 *
 * @param ladders the ladder of every reason that opens a window ({@code rate_limit}, {@code
 *     overloaded}, {@code auth}, {@code unknown}, {@code model_not_found} in the cooldown lane;
 *     {@code billing}, {@code auth_permanent} in the disabled lane)
 * @param retryAfterMax a provider's {@code retry_after} longer than the ladder's window is used
 *     instead, up to this
 * @param usageLimitDefault how long a {@code USAGE_LIMIT} without {@code retry_after} blocks
 * @param usageLimitMax the longest {@code USAGE_LIMIT} block
 * @param probeInterval one request per this interval may use a {@code usage_limit}-blocked profile
 * @param failureWindow counters reset after this long without a failure
 */
public record CooldownSettings(
    Map<FailureReason, Ladder> ladders,
    Duration retryAfterMax,
    Duration usageLimitDefault,
    Duration usageLimitMax,
    Duration probeInterval,
    Duration failureWindow) {

  /**
   * tokensink's ladder for {@code overloaded}, {@code auth}, {@code unknown}: 30 s, 60 s, 5 min.
   */
  public static final Ladder GENTLE =
      new Ladder(
          List.of(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5)),
          Duration.ofMinutes(5));

  /** OpenClaw's old ladder: 1, 5, 25, 60 min. */
  public static final Ladder OPENCLAW_LADDER =
      new Ladder(
          List.of(
              Duration.ofMinutes(1),
              Duration.ofMinutes(5),
              Duration.ofMinutes(25),
              Duration.ofMinutes(60)),
          Duration.ofMinutes(60));

  public static final CooldownSettings DEFAULTS =
      new CooldownSettings(
          ladders(
              Ladder.doubling(Duration.ofSeconds(30), Duration.ofHours(24)),
              GENTLE,
              Ladder.doubling(Duration.ofMinutes(10), Duration.ofHours(24))),
          Duration.ofHours(24),
          Duration.ofHours(1),
          Duration.ofDays(7),
          Duration.ofMinutes(5),
          Duration.ofHours(24));

  public static final CooldownSettings OPENCLAW =
      new CooldownSettings(
          ladders(
              OPENCLAW_LADDER,
              OPENCLAW_LADDER,
              Ladder.doubling(Duration.ofHours(5), Duration.ofHours(24))),
          DEFAULTS.retryAfterMax,
          DEFAULTS.usageLimitDefault,
          DEFAULTS.usageLimitMax,
          DEFAULTS.probeInterval,
          DEFAULTS.failureWindow);

  private static Map<FailureReason, Ladder> ladders(
      Ladder rateLimit, Ladder others, Ladder billing) {
    Map<FailureReason, Ladder> m = new EnumMap<>(FailureReason.class);
    m.put(FailureReason.RATE_LIMIT, rateLimit);
    m.put(FailureReason.OVERLOADED, others);
    m.put(FailureReason.AUTH, others);
    m.put(FailureReason.UNKNOWN, others);
    m.put(FailureReason.MODEL_NOT_FOUND, others);
    m.put(FailureReason.BILLING, billing);
    m.put(
        FailureReason.AUTH_PERMANENT, Ladder.doubling(Duration.ofMinutes(10), Duration.ofHours(1)));
    return m;
  }

  public CooldownSettings {
    ladders = Map.copyOf(ladders);
    for (FailureReason r : FailureReason.values()) {
      boolean opens = r.lane() != FailureReason.Lane.NONE && r != FailureReason.USAGE_LIMIT;
      if (opens && !ladders.containsKey(r)) {
        throw new IllegalArgumentException("no ladder for " + r.json());
      }
    }
  }

  /** The ladder of a reason that opens a window. */
  public Ladder ladder(FailureReason reason) {
    Ladder l = ladders.get(reason);
    if (l == null) {
      throw new IllegalArgumentException(reason.json() + " has no ladder");
    }
    return l;
  }

  /** The same settings with one reason's ladder replaced. */
  public CooldownSettings withLadder(FailureReason reason, Ladder ladder) {
    Map<FailureReason, Ladder> m = new EnumMap<>(ladders);
    m.put(reason, ladder);
    return new CooldownSettings(
        m, retryAfterMax, usageLimitDefault, usageLimitMax, probeInterval, failureWindow);
  }

  public CooldownSettings withProbeInterval(Duration next) {
    return new CooldownSettings(
        ladders, retryAfterMax, usageLimitDefault, usageLimitMax, next, failureWindow);
  }
}
