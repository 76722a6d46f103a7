package dev.tokensink.model;

import java.util.regex.Pattern;

/** The id grammars of docs/api.md, in one place. Every id type validates through here. */
final class Ids {
  static final Pattern AGENT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  static final Pattern PROFILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}");

  private Ids() {}

  static String require(String kind, Pattern pattern, String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidIdException(kind + " is empty");
    }
    if (value.length() > 256 || !matches(pattern, value)) {
      throw new InvalidIdException(
          kind + " '" + printable(value) + "' is malformed; it must match " + pattern.pattern());
    }
    return value;
  }

  /**
   * {@code pattern.matcher(value).matches()}; agent and provider ids (checked on every request) by
   * a character loop of the same grammar, without a Matcher.
   */
  private static boolean matches(Pattern pattern, String value) {
    String tail;
    if (pattern == AGENT) {
      tail = "_-";
    } else if (pattern == PROVIDER) {
      tail = "._-";
    } else {
      return pattern.matcher(value).matches();
    }
    if (value.length() > 64 || !lowerOrDigit(value.charAt(0))) {
      return false;
    }
    for (int i = 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!lowerOrDigit(c) && tail.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean lowerOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  /** Echoes a rejected id safely (see {@link Echo}). */
  static String printable(String value) {
    return Echo.of(value);
  }
}
