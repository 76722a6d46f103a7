package dev.tokensink.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import jakarta.annotation.Priority;
import java.math.BigInteger;
import java.util.Locale;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Sizes in the configuration: bytes ({@code 4194304}), binary units ({@code 512KiB}, {@code 4MiB},
 * {@code 1GiB}) or Quarkus' own ({@code 4M}). Zero and negative sizes are refused. Registered in
 * {@code META-INF/services} above Quarkus' converter, so the service and the CLI read sizes alike.
 */
@Priority(300)
public final class ByteSizeConverter implements Converter<MemorySize> {
  private static final MemorySizeConverter QUARKUS = new MemorySizeConverter();

  @Override
  public MemorySize convert(String value) {
    String t = value.trim();
    MemorySize size;
    try {
      size = binary(t);
      if (size == null) {
        size = QUARKUS.convert(t);
      }
    } catch (IllegalArgumentException e) {
      size = null;
    }
    if (size == null || size.asBigInteger().signum() <= 0) {
      throw new IllegalArgumentException(
          "must be a positive size such as 4194304, 512KiB or 4MiB, not '" + value + "'");
    }
    return size;
  }

  private static MemorySize binary(String t) {
    String lower = t.toLowerCase(Locale.ROOT);
    String[] units = {"kib", "mib", "gib"};
    for (int i = 0; i < units.length; i++) {
      if (lower.endsWith(units[i])) {
        BigInteger n = new BigInteger(t.substring(0, t.length() - 3).trim());
        return new MemorySize(n.shiftLeft(10 * (i + 1)));
      }
    }
    return null;
  }
}
