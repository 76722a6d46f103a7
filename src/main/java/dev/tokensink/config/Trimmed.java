package dev.tokensink.config;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * List entries of the configuration without surrounding blanks, so {@code a, b} in a properties
 * file or an environment variable reads as {@code [a, b]}; an empty entry is dropped.
 */
public final class Trimmed implements Converter<String> {
  @Override
  public String convert(String value) {
    String t = value.trim();
    return t.isEmpty() ? null : t;
  }
}
