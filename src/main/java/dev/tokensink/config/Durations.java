package dev.tokensink.config;

import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Durations given as CLI flags, read like the configuration's: {@code 250ms}, {@code 30s}, {@code
 * 5m}, {@code 12h}, {@code 365d} or ISO-8601 ({@code PT30S}).
 */
public final class Durations {
  private static final DurationConverter CONVERTER = new DurationConverter();

  private Durations() {}

  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim();
    Duration d;
    try {
      d = t.isEmpty() ? null : CONVERTER.convert(t);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      d = null;
    }
    if (d == null) {
      throw new IllegalArgumentException(
          "'"
              + (t.length() > 40 ? t.substring(0, 40) + "…" : t)
              + "' is not a duration; use e.g. 30s, 5m, 12h, 365d");
    }
    return d;
  }
}
