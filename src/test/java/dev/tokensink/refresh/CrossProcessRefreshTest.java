package dev.tokensink.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokensink.testing.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several JVMs on one state dir, each with many concurrent callers holding a stale credential, in
 * lockstep rounds: the test moves the shared time past expiry and tells every process at once.
 * Token calls must equal rotations, with no refresh token ever reused.
 */
class CrossProcessRefreshTest {
  private static final int ROUNDS = 3;

  @TempDir Path dir;

  @Test
  void ensureFresh_oneToThreeProcessesOneToThousandCallers_oneTokenCallPerRotation()
      throws Exception {
    StringBuilder table =
        new StringBuilder(
            "processes callers rotations tokenCalls callsPerRotation reuses revoked\n");
    for (int processes = Integer.getInteger("xp.min", 1); processes <= 3; processes++) {
      for (int callers : new int[] {1, 100, 1000}) {
        table.append(run(processes, callers)).append('\n');
      }
    }
    System.out.print(table);
    Files.writeString(Path.of("target", "refresh-rotation-calls.txt"), table);
  }

  private String run(int processes, int callers) throws Exception {
    Path stateDir = dir.resolve(processes + "x" + callers);
    try (RefreshFixture f = new RefreshFixture(stateDir)) {
      f.login();
      List<JavaProcess> children = new ArrayList<>();
      try {
        for (int i = 0; i < processes; i++) {
          children.add(
              JavaProcess.start(
                  RefreshChild.class,
                  "serve",
                  stateDir.toString(),
                  f.strict.tokenUri().toString(),
                  Integer.toString(callers)));
        }
        for (JavaProcess c : children) {
          assertEquals("ready", c.readLine());
        }
        for (int round = 1; round <= ROUNDS; round++) {
          f.clock.advance(Duration.ofMinutes(61));
          for (JavaProcess c : children) {
            c.send("round " + f.clock.millis());
          }
          String hash = null;
          for (JavaProcess c : children) {
            String line = c.readLine();
            System.err.println(processes + "x" + callers + " round " + round + ": " + line);
            String[] done = line.split(" ");
            assertEquals("done", done[0]);
            assertEquals("1", done[2], "one access token per process per round");
            assertEquals("0", done[3], "no caller failed");
            hash = hash == null ? done[1] : hash;
            assertEquals(hash, done[1], "every process serves the same rotation");
          }
          assertEquals(round, f.strict.refreshCalls(), "one token call per rotation");
        }
        for (JavaProcess c : children) {
          c.send("exit");
          assertEquals(0, c.await(30));
        }
      } finally {
        children.forEach(JavaProcess::close);
      }
      assertEquals(0, f.strict.reusesDetected());
      assertEquals(0, f.strict.grantsRevoked());
      return processes
          + " "
          + callers
          + " "
          + ROUNDS
          + " "
          + f.strict.refreshCalls()
          + " "
          + (double) f.strict.refreshCalls() / ROUNDS
          + " "
          + f.strict.reusesDetected()
          + " "
          + f.strict.grantsRevoked();
    }
  }
}
