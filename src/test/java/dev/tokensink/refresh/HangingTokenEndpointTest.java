package dev.tokensink.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.broker.OutcomeRecorder;
import dev.tokensink.broker.OutcomeResult;
import dev.tokensink.broker.UsageRecorder;
import dev.tokensink.cache.AgentCache;
import dev.tokensink.cli.Cli;
import dev.tokensink.cli.Main;
import dev.tokensink.cooldown.CooldownSettings;
import dev.tokensink.cooldown.Outcome;
import dev.tokensink.events.LifecycleEvent;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import io.smallrye.mutiny.Uni;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent lock is not held across the token call (docs/rules.md §7): while profile A's token
 * endpoint hangs (60 s, longer than the agent lock's 10 s wait), a ReportOutcome, a CLI {@code
 * add-key} and profile B's refresh in the same agent each complete in under 2 s, A's callers get
 * UNAVAILABLE within {@code caller-wait}, and each rotation costs one token call.
 */
class HangingTokenEndpointTest {
  private static final ProfileId B = ProfileId.parse("openai-codex:second");
  private static final Duration BOUND = Duration.ofSeconds(2);

  @TempDir Path dir;
  private RefreshFixture f;

  @AfterEach
  void tearDown() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void tokenEndpointHangsForA_reportOutcomeAddKeyAndBsRefresh_goOn() throws Exception {
    f =
        new RefreshFixture(
            dir,
            Duration.ZERO,
            RefreshSettings.of(Duration.ofSeconds(90), Duration.ofMillis(500)),
            false);
    Profile a = f.login();
    Profile b = f.login(B);
    // the CLI's first run in this JVM loads its classes and configuration: not what is measured
    assertEquals(0, addKey("anthropic", "sk-ant-api03-0123456789abcdef0123456789abcdef"));
    f.strict.holdNext(1, Duration.ofSeconds(60)); // only A's request, the first, hangs
    f.clock.advance(Duration.ofHours(2)); // both expired

    long t0 = System.nanoTime();
    RefreshException e =
        assertThrows(
            RefreshException.class,
            () -> f.coordinator.ensureFresh(RefreshFixture.AGENT, a).await().atMost(BOUND));
    assertEquals(RefreshException.Kind.UNAVAILABLE, e.kind(), e.getMessage());
    assertTrue(elapsed(t0) < BOUND.toMillis(), "A's caller waited " + elapsed(t0) + " ms");
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (f.strict.refreshCalls() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(10); // A's request reaching the stand-in is real network time
    }
    assertEquals(1, f.strict.refreshCalls(), "A's request hangs at the provider");

    // ReportOutcome (the real recorder: a write under the agent lock)
    AgentCache cache = new AgentCache(f.store);
    OutcomeRecorder outcomes =
        new OutcomeRecorder(
            f.store,
            cache,
            new UsageRecorder(f.store, cache),
            f.clock,
            CooldownSettings.DEFAULTS,
            (agent, p) -> Uni.createFrom().item(p),
            r -> {},
            f.workers);
    long t1 = System.nanoTime();
    OutcomeResult r =
        outcomes
            .report(RefreshFixture.AGENT, B, Outcome.RATE_LIMITED, null, null)
            .await()
            .atMost(BOUND);
    assertEquals("cooldown", r.state());
    assertTrue(elapsed(t1) < BOUND.toMillis(), "ReportOutcome took " + elapsed(t1) + " ms");

    // tokensink models auth add-key (the real CLI, same state dir)
    long t2 = System.nanoTime();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        Main.run(
            new Cli(
                new ByteArrayInputStream(
                    "sk-or-v1-0123456789abcdef0123456789abcdef\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                Map.of(),
                f.clock,
                false),
            "models",
            "auth",
            "add-key",
            "--provider",
            "openrouter",
            "--state-dir",
            dir.toString());
    assertEquals(0, exit, out.toString(StandardCharsets.UTF_8));
    assertTrue(elapsed(t2) < BOUND.toMillis(), "add-key took " + elapsed(t2) + " ms");

    // B's refresh: its own lease, its own call
    long t3 = System.nanoTime();
    f.coordinator.ensureFresh(RefreshFixture.AGENT, b).subscribe().with(p -> {}, x -> {});
    f.awaitEvent(LifecycleEvent.Type.REFRESHED, B, BOUND);
    assertTrue(elapsed(t3) < BOUND.toMillis(), "B's refresh took " + elapsed(t3) + " ms");
    Profile fresh = f.stored().profile(B);
    assertNotEquals(RefreshFixture.oauth(b).access(), RefreshFixture.oauth(fresh).access());

    assertTrue(f.stored().profiles().containsKey(ProfileId.parse("openrouter:default")));
    assertEquals(2, f.strict.refreshCalls(), "A's hanging call and B's: one per rotation");
    assertEquals(0, f.strict.reusesDetected());
  }

  /** {@code tokensink models auth add-key --provider P}, the key on stdin; the exit code. */
  private int addKey(String provider, String key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    int exit =
        Main.run(
            new Cli(
                new ByteArrayInputStream((key + "\n").getBytes(StandardCharsets.UTF_8)),
                o,
                o,
                Map.of(),
                f.clock,
                false),
            "models",
            "auth",
            "add-key",
            "--provider",
            provider,
            "--state-dir",
            dir.toString());
    assertEquals(0, exit, out.toString(StandardCharsets.UTF_8));
    return exit;
  }

  private static long elapsed(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
