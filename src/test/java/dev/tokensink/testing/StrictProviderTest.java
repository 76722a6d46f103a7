package dev.tokensink.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the {@code @QuarkusTest}s under {@link StrictProviderProfile}: the strict OAuth server
 * the profile points at runs on {@link StrictProviderProfile#PORT}, on the test clock, for the
 * class.
 */
public abstract class StrictProviderTest {
  protected static StrictOAuthServer server;

  @BeforeAll
  static void startStrictServer() {
    server = StrictOAuthServer.start(TestProducers.CLOCK, StrictProviderProfile.PORT);
  }

  @AfterAll
  static void stopStrictServer() {
    server.close();
  }
}
