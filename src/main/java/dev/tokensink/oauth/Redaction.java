package dev.tokensink.oauth;

import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Makes provider-supplied text safe to print: bounded, printable, with anything token-like removed.
 */
final class Redaction {
  // Long runs of token alphabet (JWT segments, opaque tokens, codes) are never legitimate prose.
  private static final Pattern TOKENISH = Pattern.compile("[A-Za-z0-9._~+/=-]{24,}");
  private static final int MAX = 200;

  private Redaction() {}

  /**
   * Returns {@code text} without the given secrets or token-like runs, printable ASCII, ≤200 chars.
   */
  static String clean(String text, Collection<String> secrets) {
    if (text == null) {
      return null;
    }
    String s = text;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 4) {
        s = s.replace(secret, "[redacted]");
      }
    }
    s = TOKENISH.matcher(s).replaceAll("[redacted]");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length() && out.length() < MAX; i++) {
      char c = s.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (s.length() > MAX) {
      out.append("…");
    }
    return out.toString();
  }
}
