package dev.tokensink.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import dev.tokensink.oauth.TokenClient;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import dev.tokensink.testing.MutableClock;
import dev.tokensink.testing.StrictOAuthServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet whose tokens are all due at once is refreshed within the configured bounds: never more
 * proactive token calls running than {@code max-in-flight}, never more started in one second than
 * {@code max-per-second}, and every profile refreshed exactly once in the end. The worker executor
 * holds each flight until the test runs it, so "in flight" is exact and nothing depends on timing.
 */
class ProactivePacingTest {
  static {
    MutinyWarmup.run();
  }

  private static final int PROFILES = 30;

  @TempDir Path dir;

  private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
  private final StrictOAuthServer strict = StrictOAuthServer.start(clock);
  private final ArrayDeque<Runnable> held = new ArrayDeque<>();
  private final Executor executor = held::add;
  private FileStore store;

  @AfterEach
  void close() {
    strict.close();
    if (store != null) {
      store.close();
    }
  }

  @Test
  void fleetDueTogether_startsAtMostMaxInFlight_andAtMostPerSecond_untilAllAreRefreshed() {
    store = new FileStore(FileStoreSettings.of(dir), clock);
    for (int i = 0; i < PROFILES; i++) {
      StrictOAuthServer.TokenPair pair = strict.seedGrant();
      Profile p =
          Profile.of(
              ProfileId.parse(String.format("openai-codex:p%02d", i)),
              new Credential.OAuth(
                  Secret.of(pair.access()),
                  Secret.of(pair.refresh()),
                  clock.millis() + Duration.ofHours(1).toMillis(),
                  "acct-1",
                  null));
      store.update(
          RefreshFixture.AGENT,
          tx -> {
            tx.write(tx.current().withProfile(p));
            return null;
          });
    }
    RefreshCoordinator coordinator =
        new RefreshCoordinator(
            store,
            new TokenClient(),
            RefreshFixture.providers(strict, Duration.ZERO),
            executor,
            clock,
            new RefreshSettings(Duration.ofSeconds(1), Duration.ofMinutes(5), 4, 10),
            s -> {},
            e -> {});
    clock.advance(Duration.ofMinutes(50)); // 10 min left: every profile is inside its window

    coordinator.tick(snapshots());
    assertEquals(4, held.size(), "flights started at once: the in-flight bound");
    assertEquals(0, strict.refreshCalls());
    int maxHeld = runAll();
    assertEquals(4, maxHeld, "never more than 4 waiting on the endpoint at once");
    assertEquals(10, strict.refreshCalls(), "10 started in this second: the per-second bound");
    assertEquals(20, coordinator.proactiveWaiting());

    coordinator.tick(snapshots());
    assertEquals(0, held.size(), "the same second: nothing more starts");

    clock.advance(Duration.ofSeconds(1));
    coordinator.tick(snapshots());
    runAll();
    assertEquals(20, strict.refreshCalls());

    clock.advance(Duration.ofSeconds(1));
    coordinator.tick(snapshots());
    runAll();
    assertEquals(PROFILES, strict.refreshCalls());
    assertEquals(0, coordinator.proactiveWaiting());
    assertTrue(coordinator.proactiveMaxInFlightSeen() <= 4);

    clock.advance(Duration.ofSeconds(1));
    coordinator.tick(snapshots());
    assertEquals(0, held.size(), "all fresh: nothing due");
    assertEquals(PROFILES, strict.refreshCalls(), "each profile refreshed exactly once");
    assertEquals(0, strict.reusesDetected());
    AgentSnapshot s = snapshots().get(0);
    for (Profile p : s.profiles().values()) {
      long expires = ((Credential.OAuth) p.credential()).expires();
      assertTrue(expires > clock.millis() + Duration.ofMinutes(55).toMillis(), p.id() + " renewed");
    }
  }

  /** Runs held flights (each may start the next) until none is left; the most held at once. */
  private int runAll() {
    int max = held.size();
    while (!held.isEmpty()) {
      held.poll().run();
      max = Math.max(max, held.size());
    }
    return max;
  }

  private List<AgentSnapshot> snapshots() {
    return List.of(store.read(RefreshFixture.AGENT).orElseThrow());
  }
}
