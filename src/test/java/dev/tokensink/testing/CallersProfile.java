package dev.tokensink.testing;

import dev.tokensink.security.Callers;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * A service on a copy of the {@code openclaw-agents} fixture with two configured callers ({@code
 * worker-main} may use agent main, {@code worker-work} agent work), at most two event streams per
 * caller, and the Unix socket {@link #socket()} next to the state dir.
 */
public class CallersProfile implements QuarkusTestProfile {
  public static final String TOKEN_MAIN = "tsk_worker_main_0f3c9a7e51d24b8c";
  public static final String TOKEN_WORK = "tsk_worker_work_8e12b7c4a9f04d61";

  /** A caller that was removed from the configuration: its token must no longer work. */
  public static final String TOKEN_RETIRED = "tsk_worker_retired_5b7d2e90c3a1";

  private static Path stateDir;
  private static Path socket;

  static {
    Secrets.register(TOKEN_MAIN, TOKEN_WORK, TOKEN_RETIRED);
  }

  public static synchronized Path stateDir() {
    if (stateDir == null) {
      try {
        stateDir = Fixtures.copy("openclaw-agents");
        Path run = Files.createTempDirectory("tokensink-run-");
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwx------"));
        socket = run.resolve("tokensink.sock");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return stateDir;
  }

  public static synchronized Path socket() {
    stateDir();
    return socket;
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "tokensink.state-dir",
        stateDir().toString(),
        "tokensink.callers.worker-main.token-sha256",
        Callers.sha256Hex(TOKEN_MAIN),
        "tokensink.callers.worker-main.agents",
        "main",
        "tokensink.callers.worker-work.token-sha256",
        Callers.sha256Hex(TOKEN_WORK),
        "tokensink.callers.worker-work.agents",
        "work",
        "tokensink.grpc.max-streams-per-caller",
        "2",
        "tokensink.grpc.socket",
        socket().toString(),
        "tokensink.jobs.interval",
        "1h");
  }
}
