package dev.tokensink.testing;

import static org.junit.jupiter.api.Assertions.fail;

/** Assertions that no secret value shows up where people can read it. */
public final class Secrets {
  private Secrets() {}

  /** Fails if any secret occurs in the message or toString of {@code t} or any of its causes. */
  public static void assertNotIn(Throwable t, String... secrets) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      assertNotIn(String.valueOf(c.getMessage()) + " " + c, secrets);
    }
  }

  public static void assertNotIn(String text, String... secrets) {
    for (String s : secrets) {
      if (s != null && !s.isEmpty() && text.contains(s)) {
        fail("a secret leaked into: " + text.replace(s, "<SECRET>"));
      }
    }
  }
}
