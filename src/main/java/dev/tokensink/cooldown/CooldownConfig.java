package dev.tokensink.cooldown;

import dev.tokensink.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads {@code tokensink.cooldown.*} (docs/configuration.md) into {@link CooldownSettings},
 * refusing a bad value with the key named: not a duration, zero or negative, a {@code max} below
 * its {@code initial} (or below a step), steps that get shorter, an unknown preset. Start-up fails
 * with that message, so a typo never runs with a ladder nobody chose.
 *
 * <p>Keys, per reason {@code R} of {@code rate-limit}, {@code overloaded}, {@code auth}, {@code
 * unknown}, {@code model-not-found}, {@code billing}, {@code auth-permanent}: {@code R.initial}
 * (the first window; the ladder then doubles) or {@code R.steps} (a list of first windows, e.g.
 * {@code 30s,60s,5m}), and {@code R.max}. Then {@code usage-limit.default}, {@code
 * usage-limit.max}, {@code usage-limit.probe-interval}, {@code retry-after.max}, {@code
 * failure-window}, and {@code preset} ({@code tokensink} or {@code openclaw}: the base the other
 * keys override).
 */
public final class CooldownConfig {
  public static final String PREFIX = "tokensink.cooldown.";

  /** The ladder reasons in configuration order. */
  static final List<FailureReason> LADDER_REASONS =
      List.of(
          FailureReason.RATE_LIMIT,
          FailureReason.OVERLOADED,
          FailureReason.AUTH,
          FailureReason.UNKNOWN,
          FailureReason.MODEL_NOT_FOUND,
          FailureReason.BILLING,
          FailureReason.AUTH_PERMANENT);

  private CooldownConfig() {}

  /**
   * @param value the configured value of a full key ({@code tokensink.cooldown.…}), if any
   * @throws IllegalArgumentException naming the key of the first bad value
   */
  public static CooldownSettings read(Function<String, Optional<String>> value) {
    String preset = value.apply(PREFIX + "preset").map(String::trim).orElse("tokensink");
    CooldownSettings base =
        switch (preset) {
          case "tokensink", "" -> CooldownSettings.DEFAULTS;
          case "openclaw" -> CooldownSettings.OPENCLAW;
          default ->
              throw new IllegalArgumentException(
                  PREFIX + "preset must be tokensink or openclaw, not '" + shorten(preset) + "'");
        };
    CooldownSettings s = base;
    for (FailureReason r : LADDER_REASONS) {
      s = s.withLadder(r, ladder(value, r, base.ladder(r)));
    }
    Duration usageDefault = duration(value, "usage-limit.default", base.usageLimitDefault());
    Duration usageMax = duration(value, "usage-limit.max", base.usageLimitMax());
    notBelow("usage-limit.max", usageMax, "usage-limit.default", usageDefault);
    return new CooldownSettings(
        s.ladders(),
        duration(value, "retry-after.max", base.retryAfterMax()),
        usageDefault,
        usageMax,
        duration(value, "usage-limit.probe-interval", base.probeInterval()),
        duration(value, "failure-window", base.failureWindow()));
  }

  /** Every key this reader knows, for docs and the configuration check. */
  public static List<String> keys() {
    List<String> out = new ArrayList<>();
    out.add(PREFIX + "preset");
    for (FailureReason r : LADDER_REASONS) {
      out.add(PREFIX + r.key() + ".initial");
      out.add(PREFIX + r.key() + ".steps");
      out.add(PREFIX + r.key() + ".max");
    }
    for (String k :
        List.of(
            "usage-limit.default",
            "usage-limit.max",
            "usage-limit.probe-interval",
            "retry-after.max",
            "failure-window")) {
      out.add(PREFIX + k);
    }
    return out;
  }

  private static Ladder ladder(
      Function<String, Optional<String>> value, FailureReason r, Ladder base) {
    String k = r.key();
    Optional<String> initial = value.apply(PREFIX + k + ".initial");
    Optional<String> stepsText = value.apply(PREFIX + k + ".steps");
    if (initial.isPresent() && stepsText.isPresent()) {
      throw new IllegalArgumentException(
          "set either " + PREFIX + k + ".initial or " + PREFIX + k + ".steps, not both");
    }
    List<Duration> steps = base.steps();
    String firstKey = k + (steps.size() == 1 ? ".initial" : ".steps");
    if (initial.isPresent()) {
      steps = List.of(positive(k + ".initial", initial.get()));
      firstKey = k + ".initial";
    } else if (stepsText.isPresent()) {
      List<Duration> parsed = new ArrayList<>();
      for (String part : stepsText.get().split(",")) {
        parsed.add(positive(k + ".steps", part));
      }
      for (int i = 1; i < parsed.size(); i++) {
        if (parsed.get(i).compareTo(parsed.get(i - 1)) < 0) {
          throw new IllegalArgumentException(
              PREFIX + k + ".steps must not get shorter (" + stepsText.get().trim() + ")");
        }
      }
      steps = parsed;
    }
    Duration max = duration(value, k + ".max", base.max());
    if (initial.isPresent()
        || stepsText.isPresent()
        || value.apply(PREFIX + k + ".max").isPresent()) {
      notBelow(k + ".max", max, firstKey, steps.get(steps.size() - 1));
    }
    return new Ladder(steps, max);
  }

  private static Duration duration(
      Function<String, Optional<String>> value, String key, Duration dflt) {
    Optional<String> v = value.apply(PREFIX + key);
    return v.isEmpty() ? dflt : positive(key, v.get());
  }

  private static Duration positive(String key, String text) {
    Duration d;
    try {
      d = text.trim().startsWith("-") ? Duration.ofSeconds(-1) : Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(PREFIX + key + ": " + e.getMessage(), e);
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(
          PREFIX
              + key
              + " must be a positive duration such as 30s, 10m or 24h, not '"
              + shorten(text.trim())
              + "'");
    }
    return d;
  }

  private static void notBelow(String maxKey, Duration max, String minKey, Duration min) {
    if (max.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          PREFIX
              + maxKey
              + " ("
              + human(max)
              + ") is below "
              + PREFIX
              + minKey
              + " ("
              + human(min)
              + "); raise it or lower the other");
    }
  }

  /** {@code 90s}, {@code 10m}, {@code 24h}, {@code 7d}, {@code 250ms}: as the keys are written. */
  public static String human(Duration d) {
    long ms = d.toMillis();
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (ms != 0 && ms % units[i] == 0) {
        return ms / units[i] + names[i];
      }
    }
    return ms + "ms";
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
