package dev.tokensink.model;

import java.util.regex.Pattern;

/** The id grammars of api.md, in one place. Every id type validates through here. */
final class Ids {
  static final Pattern AGENT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  static final Pattern PROFILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}");

  private Ids() {}

  static String require(String kind, Pattern pattern, String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidIdException(kind + " is empty");
    }
    if (value.length() > 256 || !pattern.matcher(value).matches()) {
      throw new InvalidIdException(kind + " '" + printable(value) + "' is malformed; it must match " + pattern.pattern());
    }
    return value;
  }

  /** Echoes a rejected id safely (see {@link Echo}). */
  static String printable(String value) {
    return Echo.of(value);
  }

}
