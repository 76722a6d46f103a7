package dev.tokensink.config;

/**
 * A whole number above zero, for counts and limits in the configuration; a key of this type that
 * holds anything else fails start-up naming the key.
 */
public record PositiveInt(int value) {
  public PositiveInt {
    if (value < 1) {
      throw new IllegalArgumentException("must be a positive number, not '" + value + "'");
    }
  }

  public static PositiveInt of(String text) {
    try {
      return new PositiveInt(Integer.parseInt(text.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a positive number, not '" + text + "'");
    }
  }

  @Override
  public String toString() {
    return Integer.toString(value);
  }
}
