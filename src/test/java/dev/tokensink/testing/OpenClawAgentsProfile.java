package dev.tokensink.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A service on a fresh copy of the {@code openclaw-agents} fixture state dir. */
public class OpenClawAgentsProfile implements QuarkusTestProfile {
  public static volatile java.nio.file.Path stateDir;

  @Override
  public Map<String, String> getConfigOverrides() {
    // Quarkus may ask more than once; the service and the test must share one copy.
    synchronized (OpenClawAgentsProfile.class) {
      if (stateDir == null) {
        stateDir = Fixtures.copy("openclaw-agents");
      }
    }
    return Map.of("tokensink.state-dir", stateDir.toString());
  }
}
