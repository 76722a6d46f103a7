package dev.tokensink.config;

import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * A duration that must be longer than zero, for keys where zero or less would mean "never wait"
 * ({@code @WithConverter(PositiveDuration.class)}); reads the same forms as every duration.
 */
public final class PositiveDuration implements Converter<Duration> {
  private static final DurationConverter DURATIONS = new DurationConverter();

  @Override
  public Duration convert(String value) {
    Duration d = DURATIONS.convert(value);
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("must be longer than zero, not '" + value + "'");
    }
    return d;
  }
}
