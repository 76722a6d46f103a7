package dev.tokensink.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * A service on an empty state dir with the OAuth provider {@code strict} configured at {@code
 * 127.0.0.1:}{@link #PORT}, where the test starts a {@link StrictOAuthServer}.
 */
public class StrictProviderProfile implements QuarkusTestProfile {
  /**
   * {@code -Dtest.port.base=N} moves the test ports (N, N+1, N+5, N+6) so checkouts can test side
   * by side.
   */
  public static final int PORT = Integer.getInteger("test.port.base", 19090) + 5;

  public static final String BASE = "http://127.0.0.1:" + PORT;

  @Override
  public Map<String, String> getConfigOverrides() {
    try {
      String dir = Files.createTempDirectory("tokensink-strict-").toString();
      return Map.of(
          "tokensink.state-dir",
          dir,
          "tokensink.providers.strict.authorize-url",
          BASE + "/oauth/authorize",
          "tokensink.providers.strict.token-url",
          BASE + "/oauth/token",
          "tokensink.providers.strict.client-id",
          StrictOAuthServer.CLIENT_ID,
          "tokensink.providers.strict.redirect-uri",
          "http://127.0.0.1:" + (PORT + 1) + "/auth/callback",
          "tokensink.jobs.interval",
          "1h");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
