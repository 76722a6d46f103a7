package dev.tokensink.model;

/**
 * Echoes caller input in an error message: at most 80 characters, control and non-ASCII characters
 * escaped, so a message can neither carry a pasted secret in full nor break a terminal or log line.
 */
public final class Echo {
  public static final int LIMIT = 80;

  private Echo() {}

  public static String of(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    int limit = Math.min(value.length(), LIMIT);
    for (int i = 0; i < limit; i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    if (value.length() > limit) {
      out.append("…(").append(value.length()).append(" chars)");
    }
    return out.toString();
  }
}
