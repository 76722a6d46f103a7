package dev.tokensink.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every secret value tests created, for {@link SecretScanExtension}. Lives in the JVM's application
 * class loader; {@link Secrets#register} reaches it from Quarkus' test class loader too, so one set
 * holds the secrets of plain and {@code @QuarkusTest} tests alike.
 */
public final class SecretRegistry {
  /** Shorter values are too likely to occur by chance in a log line to be a useful signal. */
  static final int MIN_LENGTH = 8;

  public static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

  private SecretRegistry() {}
}
