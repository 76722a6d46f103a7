package dev.tokensink.cooldown;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProfileType;
import dev.tokensink.model.Secret;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import dev.tokensink.store.pg.PgStoreConfig;
import dev.tokensink.store.pg.PostgresStore;
import dev.tokensink.testing.JavaProcess;
import dev.tokensink.testing.MutableClock;
import dev.tokensink.testing.PostgresServer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/rules.md §4, the half-open probe of a {@code USAGE_LIMIT} block across processes: three JVMs
 * on one state dir (the agent's file lock), then three on one PostgreSQL database (replicas, the
 * agent's row lock), each firing many concurrent GetCredentials in lockstep rounds while the test
 * moves their shared time. Counted over all processes, exactly one request per probe interval gets
 * the blocked profile; before the interval has passed, none.
 */
@ExtendWith(PostgresServer.class)
class ProbeAcrossProcessesIT {
  static final int PROCESSES = 3;
  static final int REQUESTS = 40;
  static final ProfileId A = ProfileId.parse("anthropic:a");
  static final ProfileId B = ProfileId.parse("anthropic:b");

  final MutableClock clock = MutableClock.at("2026-11-23T12:00:00Z");

  @TempDir Path dir;

  @Test
  void threeProcessesOnOneStateDir_exactlyOneProbePerInterval() throws Exception {
    try (FileStore store = new FileStore(FileStoreSettings.of(dir), clock)) {
      seed(store);
    }
    List<String[]> args = new ArrayList<>();
    for (int i = 0; i < PROCESSES; i++) {
      args.add(new String[] {"file", dir.toString(), Integer.toString(REQUESTS)});
    }
    rounds(args);
  }

  @Test
  void threeReplicasOnPostgres_exactlyOneProbePerInterval(PostgresServer pg) throws Exception {
    String url = pg.newDatabase();
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    String key = Base64.getEncoder().encodeToString(k);
    try (PostgresStore store = PostgresStore.open(PgStoreConfig.of(url, "postgres", "", key))) {
      seed(store);
    }
    List<String[]> args = new ArrayList<>();
    for (int i = 0; i < PROCESSES; i++) {
      args.add(new String[] {"pg", url, key, Integer.toString(REQUESTS)});
    }
    rounds(args);
  }

  /** Keys a and b in that order; a hit its plan's quota now, for 3 h. */
  private void seed(CredentialStore store) {
    store.update(
        ProbeChild.AGENT,
        tx -> {
          AgentSnapshot s = tx.current();
          for (ProfileId id : List.of(A, B)) {
            s =
                s.withProfile(
                    Profile.of(
                        id,
                        new Credential.ApiKey(
                            Secret.of("sk-ant-api03-FIXTURE-" + id.name() + "-000000000"),
                            null,
                            Map.of())));
          }
          s = s.withOrder("anthropic", List.of(A, B));
          var blocked =
              CooldownPolicy.apply(
                  s.state().usage(A),
                  Outcome.USAGE_LIMIT,
                  ProfileType.API_KEY,
                  Duration.ofHours(3),
                  null,
                  clock.millis(),
                  CooldownSettings.DEFAULTS);
          tx.write(s.withState(s.state().withUsage(A, blocked.stats())));
          return null;
        });
  }

  private void rounds(List<String[]> args) throws Exception {
    List<JavaProcess> children = new ArrayList<>();
    try {
      for (String[] a : args) {
        children.add(JavaProcess.start(ProbeChild.class, a));
      }
      for (JavaProcess c : children) {
        assertEquals("ready", c.readLine());
      }
      clock.advance(Duration.ofMinutes(1));
      assertEquals(0, round(children), "inside the first probe interval nobody gets a");
      for (int interval = 1; interval <= 3; interval++) {
        clock.advance(Duration.ofMinutes(5));
        assertEquals(1, round(children), "interval " + interval + ": exactly one probe");
        clock.advance(Duration.ofSeconds(30));
        assertEquals(0, round(children), "interval " + interval + ": no second probe");
      }
      for (JavaProcess c : children) {
        c.send("exit");
        assertEquals(0, c.await(60));
      }
    } finally {
      children.forEach(JavaProcess::close);
    }
  }

  /** One lockstep round at the shared time: how many requests, over all processes, got a. */
  private int round(List<JavaProcess> children) throws Exception {
    for (JavaProcess c : children) {
      c.send("round " + clock.millis());
    }
    int servedByA = 0;
    for (JavaProcess c : children) {
      String[] done = c.readLine().split(" ");
      assertEquals("done", done[0]);
      assertEquals("0", done[2], "no request failed");
      servedByA += Integer.parseInt(done[1]);
    }
    return servedByA;
  }
}
