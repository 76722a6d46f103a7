package dev.tokensink.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.ReauthMark;
import dev.tokensink.testing.Gate;
import dev.tokensink.testing.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a JVM that rotates a profile in a loop, at a random moment, many times. After each
 * kill (and the start-up recovery) every file parses, no temp file is left, and the profile either
 * still serves with the grant's current refresh token or is marked REAUTH_REQUIRED "refresh
 * interrupted by a crash". The strict server never sees a refresh token reused.
 */
class KillNineRefreshTest {
  private static final int CYCLES = Integer.getInteger("kill.cycles", 30);
  private static final Set<String> KNOWN =
      Set.of("auth-profiles.json", "auth-state.json", "auth-profiles.json.lock");

  @TempDir Path dir;

  /** The agent's files, its lock and the profile's refresh lease file. */
  private static boolean known(String name) {
    return KNOWN.contains(name)
        || (name.startsWith("auth-profiles.json.refresh-") && name.endsWith(".lock"));
  }

  @Test
  void killNineWhileRefreshing_neverSpendsARefreshTokenTwice() throws Exception {
    Random random = new Random(42);
    int crashMarked = 0;
    int crashInCall = 0;
    try (RefreshFixture f = new RefreshFixture(dir)) {
      f.login();
      Path agentDir = f.store.agentDir(RefreshFixture.AGENT);
      for (int cycle = 0; cycle < CYCLES; cycle++) {
        try (JavaProcess child =
            JavaProcess.start(
                RefreshChild.class,
                "churn",
                dir.toString(),
                f.strict.tokenUri().toString(),
                Long.toString(f.clock.millis()))) {
          boolean parkInCall = cycle % 3 == 2;
          Gate gate = new Gate();
          if (parkInCall) {
            f.strict.gate(gate);
          }
          assertEquals("ready", child.readLine());
          int rotations = parkInCall ? 0 : random.nextInt(4);
          for (int i = 0; i < rotations; i++) {
            assertEquals("rotated", child.readLine());
          }
          if (parkInCall) {
            // Deterministically inside the window: marker written, request at the provider.
            assertTrue(gate.awaitArrivals(1, Duration.ofSeconds(10)));
            crashInCall++;
          }
          child.close(); // SIGKILL at whatever point the loop has reached
          child.await(10);
          f.strict.reset(); // a parked request now completes at the provider: its refresh token is
          // spent
        }
        // What start-up does: handle markers left by the crash.
        f.coordinator.recoverInterrupted(List.of(f.stored())).join();
        AgentSnapshot s = f.stored(); // parses both files, or throws
        try (Stream<Path> files = Files.list(agentDir)) {
          List<String> names = files.map(p -> p.getFileName().toString()).toList();
          List<String> temps = names.stream().filter(n -> !known(n)).toList();
          // A kill mid-write may leave one temp per file; the next update under the lock removes
          // it,
          // so they never accumulate.
          assertTrue(
              temps.size() <= 2 && temps.stream().allMatch(n -> n.contains(".tmp")),
              "temps: " + names);
        }
        assertTrue(s.state().refreshInFlight().isEmpty());
        ReauthMark mark = s.state().reauth().get(RefreshFixture.ID);
        String storedRefresh =
            RefreshFixture.oauth(s.profile(RefreshFixture.ID)).refresh().reveal();
        if (mark != null) {
          assertEquals("refresh interrupted by a crash", mark.reason());
          crashMarked++;
          f.login(); // a person logs in again
        } else {
          assertEquals(
              f.strict.currentRefreshToken(storedRefresh),
              storedRefresh,
              "stored refresh token is live");
          assertFalse(f.strict.isRevoked(storedRefresh));
        }
      }
      f.store.update(RefreshFixture.AGENT, tx -> null);
      try (Stream<Path> files = Files.list(agentDir)) {
        List<String> names = files.map(p -> p.getFileName().toString()).toList();
        assertTrue(
            names.stream().allMatch(KillNineRefreshTest::known),
            "no temp files after the next update: " + names);
      }
      assertEquals(0, f.strict.reusesDetected());
      assertEquals(0, f.strict.grantsRevoked());
      assertTrue(crashMarked >= crashInCall, "every kill inside the call ended in REAUTH_REQUIRED");
      System.out.println(
          "kill -9 cycles: "
              + CYCLES
              + ", killed inside the token call: "
              + crashInCall
              + ", marked by crash: "
              + crashMarked
              + ", refresh calls: "
              + f.strict.refreshCalls());
    }
  }
}
