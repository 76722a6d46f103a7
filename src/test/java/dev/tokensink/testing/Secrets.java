package dev.tokensink.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Set;

/**
 * Assertions that no secret value shows up where people can read it, and the registry of secret
 * values tests create: every registered value fails the suite when it appears in log output ({@link
 * SecretScanExtension}).
 */
public final class Secrets {
  private static final Set<String> REGISTRY = registry();

  private Secrets() {}

  /** Registers secret values this test created (values shorter than 8 characters are ignored). */
  public static void register(String... secrets) {
    for (String s : secrets) {
      if (s != null && s.length() >= SecretRegistry.MIN_LENGTH) {
        REGISTRY.add(s);
      }
    }
  }

  /**
   * The one registry of the JVM: a {@code @QuarkusTest} runs in Quarkus' class loader, where this
   * class is a second copy, so it reaches the application class loader's {@link SecretRegistry} (a
   * JDK {@code Set}, shared by both).
   */
  @SuppressWarnings("unchecked")
  private static Set<String> registry() {
    ClassLoader app = ClassLoader.getSystemClassLoader();
    if (Secrets.class.getClassLoader() == app) {
      return SecretRegistry.SECRETS;
    }
    try {
      return (Set<String>)
          Class.forName(SecretRegistry.class.getName(), true, app).getField("SECRETS").get(null);
    } catch (ReflectiveOperationException | LinkageError e) {
      return SecretRegistry
          .SECRETS; // not on the application class path: this loader's own registry
    }
  }

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
