package dev.tokensink.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Human durations used in config and CLI flags: {@code 250ms}, {@code 30s}, {@code 5m}, {@code
 * 12h}, {@code 365d}.
 */
public final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private Durations() {}

  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim();
    Matcher m = SIMPLE.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(t);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "'"
              + (t.length() > 40 ? t.substring(0, 40) + "…" : t)
              + "' is not a duration; use e.g. 30s, 5m, 12h, 365d");
    }
  }
}
