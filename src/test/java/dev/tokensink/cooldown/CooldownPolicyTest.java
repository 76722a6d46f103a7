package dev.tokensink.cooldown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.tokensink.model.ProfileType;
import dev.tokensink.model.UsageStats;
import dev.tokensink.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/rules.md §4 as pure decisions of (usage state, outcome, now), with a clock moved by hand.
 */
class CooldownPolicyTest {
  CooldownSettings settings = CooldownSettings.DEFAULTS;
  final MutableClock clock = MutableClock.at("2026-11-23T18:00:00Z");
  UsageStats stats = UsageStats.EMPTY;
  List<Transition> last;

  void report(Outcome o) {
    report(o, null, null);
  }

  void report(Outcome o, Duration retryAfter, String model) {
    report(o, ProfileType.OAUTH, retryAfter, model);
  }

  void report(Outcome o, ProfileType type, Duration retryAfter, String model) {
    CooldownPolicy.Result r =
        CooldownPolicy.apply(stats, o, type, retryAfter, model, clock.millis(), settings);
    stats = r.stats();
    last = r.transitions();
  }

  long inMs(Duration d) {
    return clock.millis() + d.toMillis();
  }

  /** Waits out whatever window is running, plus a second. */
  void afterWindow() {
    long until = 0;
    for (Window w : Window.of(stats)) {
      until = Math.max(until, w.untilMs());
    }
    clock.set(java.time.Instant.ofEpochMilli(Math.max(until, clock.millis()) + 1000));
  }

  static Stream<Arguments> mapping() {
    return Stream.of(
        Arguments.of(Outcome.RATE_LIMITED, "rate_limit", true),
        Arguments.of(Outcome.OVERLOADED, "overloaded", true),
        Arguments.of(Outcome.AUTH_FAILED, "auth", true),
        Arguments.of(Outcome.OTHER_ERROR, "unknown", true),
        Arguments.of(Outcome.MODEL_NOT_FOUND, "model_not_found", true),
        Arguments.of(Outcome.TIMEOUT, "timeout", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mapping")
  void firstFailure_countsReasonAndCoolsPerLane(Outcome o, String reason, boolean cools) {
    report(o);
    assertEquals(1, stats.errorCount());
    assertEquals(1, stats.failureCounts().get(reason));
    assertEquals(cools ? inMs(Duration.ofSeconds(30)) : null, stats.cooldownUntil());
    assertEquals(cools ? reason : null, stats.cooldownReason());
  }

  @Test
  void rateLimit_consecutiveFailuresAfterEachWindowEnded_climb30s60s120sTo24h_okResets() {
    long[] seconds = {30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 30720, 61440, 86400};
    for (long s : seconds) {
      report(Outcome.RATE_LIMITED);
      assertEquals(inMs(Duration.ofSeconds(s)), stats.cooldownUntil(), "window " + s + " s");
      afterWindow();
    }
    report(Outcome.RATE_LIMITED);
    assertEquals(inMs(Duration.ofHours(24)), stats.cooldownUntil(), "capped at 24 h");
    afterWindow();
    report(Outcome.OK);
    report(Outcome.RATE_LIMITED);
    assertEquals(inMs(Duration.ofSeconds(30)), stats.cooldownUntil(), "an OK starts again at 30 s");
  }

  @Test
  void rateLimit_every31Seconds_windowsGrowInsteadOf30sForever() {
    List<Long> windows = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Long before = stats.cooldownUntil();
      report(Outcome.RATE_LIMITED);
      if (!stats.cooldownUntil().equals(before)) {
        windows.add((stats.cooldownUntil() - clock.millis()) / 1000);
      }
      clock.advance(Duration.ofSeconds(31));
    }
    // 0 s: 30 s; 31 s: 60 s (to 91 s); 62 s: counted; 93 s: 240 s (to 333 s); … counted
    assertEquals(List.of(30L, 60L, 240L), windows);
    assertEquals(8, stats.failureCounts().get("rate_limit"));
  }

  @Test
  void overloaded_ladder30s60sThen5min() {
    for (long s : new long[] {30, 60, 300, 300}) {
      report(Outcome.OVERLOADED);
      assertEquals(inMs(Duration.ofSeconds(s)), stats.cooldownUntil());
      afterWindow();
    }
  }

  @Test
  void ladder_countsPerReason_timeoutsDoNotClimbRateLimit() {
    report(Outcome.TIMEOUT);
    report(Outcome.TIMEOUT);
    report(Outcome.RATE_LIMITED);
    assertEquals(inMs(Duration.ofSeconds(30)), stats.cooldownUntil());
    assertEquals(3, stats.errorCount());
  }

  @ParameterizedTest
  @MethodSource("staticTypes")
  void authFailedOnStaticKey_authPermanent10minThen20min_cappedAt1h(ProfileType type) {
    for (long m : new long[] {10, 20, 40, 60, 60}) {
      report(Outcome.AUTH_FAILED, type, null, null);
      assertEquals(inMs(Duration.ofMinutes(m)), stats.disabledUntil(), m + " min");
      assertEquals("auth_permanent", stats.disabledReason());
      assertNull(stats.cooldownUntil());
      assertEquals(Transition.Type.DISABLED_STARTED, last.get(0).type());
      afterWindow();
    }
  }

  static Stream<ProfileType> staticTypes() {
    return Stream.of(ProfileType.API_KEY, ProfileType.TOKEN);
  }

  @Test
  void authFailedOnOAuth_isAuthInTheCooldownLane() {
    report(Outcome.AUTH_FAILED, ProfileType.OAUTH, null, null);
    assertEquals("auth", stats.cooldownReason());
    assertNull(stats.disabledUntil());
  }

  @Test
  void billing_doubles10minTo24h() {
    for (long m : new long[] {10, 20, 40, 80, 160, 320, 640, 1280, 1440, 1440}) {
      report(Outcome.BILLING);
      assertEquals(inMs(Duration.ofMinutes(m)), stats.disabledUntil(), m + " min");
      assertEquals("billing", stats.disabledReason());
      afterWindow();
    }
  }

  @Test
  void failuresInsideActiveWindow_countedButNeverExtend() {
    report(Outcome.RATE_LIMITED);
    long until = stats.cooldownUntil();
    for (int i = 0; i < 50; i++) {
      clock.advance(Duration.ofMillis(500));
      report(Outcome.RATE_LIMITED, Duration.ofHours(1), null);
      assertTrue(last.isEmpty());
    }
    assertEquals(until, stats.cooldownUntil());
    assertEquals(51, stats.errorCount());
  }

  @Test
  void billingDuringActiveDisable_notExtended() {
    report(Outcome.BILLING);
    long until = stats.disabledUntil();
    clock.advance(Duration.ofMinutes(1));
    report(Outcome.BILLING);
    assertEquals(until, stats.disabledUntil());
    assertEquals(2, stats.failureCounts().get("billing"));
  }

  @Test
  void failureWindow_24hWithoutFailureAfterTheWindowEnded_resetsCounts() {
    report(Outcome.RATE_LIMITED);
    afterWindow();
    report(Outcome.RATE_LIMITED);
    long end = stats.cooldownUntil();
    clock.set(java.time.Instant.ofEpochMilli(end).plus(Duration.ofHours(23)));
    report(Outcome.RATE_LIMITED);
    assertEquals(
        inMs(Duration.ofSeconds(120)), stats.cooldownUntil(), "23 h quiet: still climbing");
    clock.set(java.time.Instant.ofEpochMilli(stats.cooldownUntil()).plus(Duration.ofHours(24)));
    report(Outcome.RATE_LIMITED);
    assertEquals(inMs(Duration.ofSeconds(30)), stats.cooldownUntil(), "24 h quiet: reset");
    assertEquals(1, stats.errorCount());
  }

  @Test
  void retryAfter_longerThanLadder_usedAndCappedAt24h_shorterOrZero_ladderKept() {
    report(Outcome.RATE_LIMITED, Duration.ofSeconds(7), null);
    assertEquals(inMs(Duration.ofSeconds(30)), stats.cooldownUntil(), "7 s < 30 s: ladder");
    afterWindow();
    report(Outcome.RATE_LIMITED, Duration.ofMinutes(10), null);
    assertEquals(inMs(Duration.ofMinutes(10)), stats.cooldownUntil());
    afterWindow();
    report(Outcome.RATE_LIMITED, Duration.ofDays(365 * 100), null);
    assertEquals(inMs(Duration.ofHours(24)), stats.cooldownUntil(), "100 years: capped at 24 h");
    afterWindow();
    report(Outcome.OK);
    report(Outcome.RATE_LIMITED, Duration.ZERO, null);
    assertEquals(inMs(Duration.ofSeconds(30)), stats.cooldownUntil(), "zero: the ladder's window");
  }

  @Test
  void retryAfter_extremeProtobufDuration_doesNotOverflow() {
    report(Outcome.RATE_LIMITED, Duration.ofSeconds(315_576_000_000L, 999_999_999), null);
    assertEquals(inMs(Duration.ofHours(24)), stats.cooldownUntil());
    stats = UsageStats.EMPTY;
    report(Outcome.USAGE_LIMIT, Duration.ofSeconds(Long.MAX_VALUE), null);
    assertEquals(inMs(Duration.ofDays(7)), stats.disabledUntil());
  }

  @Test
  void negativeRetryAfter_rejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> report(Outcome.RATE_LIMITED, Duration.ofSeconds(-1), null));
    assertEquals(UsageStats.EMPTY, stats);
  }

  @Test
  void ok_clearsEverythingAndSetsLastUsed() {
    report(Outcome.BILLING);
    report(Outcome.RATE_LIMITED, null, "opus");
    clock.advance(Duration.ofSeconds(1));
    report(Outcome.OK);
    assertEquals(UsageStats.EMPTY.withLastUsed(clock.millis()), stats);
    assertEquals(Transition.Type.ENDED, last.get(0).type());
  }

  @Test
  void okWithoutWindow_noTransition() {
    report(Outcome.OK);
    assertTrue(last.isEmpty());
  }

  @Test
  void twoModels_cooledIndependently_eachWithItsOwnWindowAndCount() {
    report(Outcome.RATE_LIMITED, null, "opus");
    long opusUntil = inMs(Duration.ofSeconds(30));
    assertEquals("opus", last.get(0).model());
    clock.advance(Duration.ofSeconds(5));
    report(Outcome.RATE_LIMITED, null, "sonnet");
    long sonnetUntil = inMs(Duration.ofSeconds(30));
    assertEquals("sonnet", last.get(0).model());
    assertNull(stats.cooldownUntil(), "the profile itself is not cooled");
    assertEquals(opusUntil, stats.model("opus").cooldownUntil());
    assertEquals(sonnetUntil, stats.model("SONNET").cooldownUntil());
    long now = clock.millis();
    assertEquals(opusUntil, Usability.usableAt(stats, "Opus", now));
    assertEquals(sonnetUntil, Usability.usableAt(stats, "sonnet", now));
    assertNull(Usability.usableAt(stats, "haiku", now));
    assertNull(Usability.usableAt(stats, null, now));

    clock.set(java.time.Instant.ofEpochMilli(opusUntil + 1000));
    report(Outcome.RATE_LIMITED, null, "opus");
    assertEquals(inMs(Duration.ofSeconds(60)), stats.model("opus").cooldownUntil(), "opus climbs");
    assertEquals(sonnetUntil, stats.model("sonnet").cooldownUntil(), "sonnet untouched");

    report(Outcome.OK, null, "sonnet");
    assertNull(stats.model("sonnet"));
    assertEquals(2, stats.model("opus").failureCounts().get("rate_limit"), "opus keeps its count");
  }

  @Test
  void modelScope_timeoutCountedForTheModelOnly() {
    report(Outcome.TIMEOUT, null, "opus");
    assertEquals(0, stats.errorCount());
    assertEquals(1, stats.model("opus").failureCounts().get("timeout"));
    assertNull(stats.model("opus").cooldownUntil());
  }

  @Test
  void profileWideOutcomeWithModel_coolsWholeProfile() {
    report(Outcome.OVERLOADED, null, "opus");
    assertTrue(stats.models().isEmpty());
    assertEquals(stats.cooldownUntil(), Usability.usableAt(stats, "sonnet", clock.millis()));
  }

  @Test
  void manyModels_keptBounded() {
    for (int i = 0; i < 100; i++) {
      report(Outcome.RATE_LIMITED, null, "model-" + i);
    }
    assertEquals(CooldownPolicy.MAX_MODELS, stats.models().size());
  }

  @Test
  void idleModelEntries_droppedAfterTheFailureWindow() {
    report(Outcome.RATE_LIMITED, null, "opus");
    clock.advance(Duration.ofHours(25));
    report(Outcome.TIMEOUT);
    assertTrue(stats.models().isEmpty());
  }

  @Test
  void usageLimit_blockedUntilRetryAfter_oneProbePerInterval_okEnds() {
    report(Outcome.USAGE_LIMIT, Duration.ofHours(3), null);
    assertEquals(inMs(Duration.ofHours(3)), stats.disabledUntil());
    assertEquals("usage_limit", stats.disabledReason());
    assertEquals(inMs(Duration.ofMinutes(5)), Usability.usableAt(stats, null, clock.millis()));
    assertNull(Usability.claimProbe(stats, clock.millis(), settings), "no probe before 5 min");

    clock.advance(Duration.ofMinutes(5));
    long now = clock.millis();
    assertNull(Usability.usableAt(stats, null, now));
    assertTrue(Usability.probeOnly(stats, now));
    UsageStats claimed = Usability.claimProbe(stats, now, settings);
    assertNull(Usability.claimProbe(claimed, now, settings), "the second claimer loses");
    stats = claimed;
    assertEquals(now + Duration.ofMinutes(5).toMillis(), Usability.usableAt(stats, null, now));

    clock.advance(Duration.ofMinutes(5)); // no report: the next probe is open
    assertTrue(Usability.probeOnly(stats, clock.millis()));
    report(Outcome.OK);
    assertNull(stats.disabledUntil());
    assertNull(stats.probeAfter());
  }

  @Test
  void usageLimit_anotherUsageLimitStartsANewBlock() {
    report(Outcome.USAGE_LIMIT, Duration.ofHours(3), null);
    clock.advance(Duration.ofMinutes(6));
    stats = Usability.claimProbe(stats, clock.millis(), settings);
    report(Outcome.USAGE_LIMIT, Duration.ofHours(2), null);
    assertEquals(inMs(Duration.ofHours(2)), stats.disabledUntil());
    assertEquals(inMs(Duration.ofMinutes(5)), stats.probeAfter());
    assertEquals(Transition.Type.DISABLED_STARTED, last.get(0).type());
  }

  @Test
  void usageLimit_defaultOneHour_zeroMeansDefault_cappedAt7Days() {
    report(Outcome.USAGE_LIMIT);
    assertEquals(inMs(Duration.ofHours(1)), stats.disabledUntil());
    stats = UsageStats.EMPTY;
    report(Outcome.USAGE_LIMIT, Duration.ZERO, null);
    assertEquals(inMs(Duration.ofHours(1)), stats.disabledUntil());
    stats = UsageStats.EMPTY;
    report(Outcome.USAGE_LIMIT, Duration.ofDays(365 * 100), null);
    assertEquals(inMs(Duration.ofDays(7)), stats.disabledUntil());
  }

  @Test
  void usageLimit_duringBillingBlock_doesNotShortenIt() {
    report(Outcome.BILLING);
    long until = stats.disabledUntil();
    report(Outcome.USAGE_LIMIT, Duration.ofMinutes(1), null);
    assertEquals(until, stats.disabledUntil());
    assertEquals("billing", stats.disabledReason());
  }

  @Test
  void openclawPreset_oldLadder1_5_25_60min() {
    settings = CooldownSettings.OPENCLAW;
    for (long m : new long[] {1, 5, 25, 60, 60}) {
      report(Outcome.RATE_LIMITED);
      assertEquals(inMs(Duration.ofMinutes(m)), stats.cooldownUntil(), m + " min");
      afterWindow();
    }
  }

  @Test
  void configuredSeconds_replaceMinutes() {
    settings =
        settings
            .withLadder(
                FailureReason.AUTH_PERMANENT,
                Ladder.doubling(Duration.ofSeconds(10), Duration.ofSeconds(60)))
            .withProbeInterval(Duration.ofSeconds(2));
    report(Outcome.AUTH_FAILED, ProfileType.API_KEY, null, null);
    assertEquals(inMs(Duration.ofSeconds(10)), stats.disabledUntil());
    afterWindow();
    report(Outcome.AUTH_FAILED, ProfileType.API_KEY, null, null);
    assertEquals(inMs(Duration.ofSeconds(20)), stats.disabledUntil());
  }

  @Test
  void ladder_windowsAndSaturation() {
    Ladder l = Ladder.doubling(Duration.ofSeconds(30), Duration.ofHours(24));
    assertEquals(Duration.ofSeconds(30), l.window(0));
    assertEquals(Duration.ofSeconds(60), l.window(2));
    assertEquals(Duration.ofHours(24), l.window(Integer.MAX_VALUE));
    assertEquals(
        Duration.ofMinutes(5), CooldownSettings.DEFAULTS.ladder(FailureReason.AUTH).window(99));
  }

  @Test
  void forcedRefreshMarker_setAndClearedByOk() {
    assertTrue(!CooldownPolicy.authAlreadyRefreshed(stats));
    stats = CooldownPolicy.refreshedAfterAuthFailure(stats, clock.millis());
    assertTrue(CooldownPolicy.authAlreadyRefreshed(stats));
    report(Outcome.OK);
    assertTrue(!CooldownPolicy.authAlreadyRefreshed(stats));
  }

  @Test
  void keepsUnknownFields() {
    UsageStats withExtra =
        new UsageStats(
            null,
            null,
            null,
            null,
            null,
            0,
            null,
            null,
            null,
            null,
            null,
            Map.of("future", TextNode.valueOf("x")));
    stats = withExtra;
    report(Outcome.RATE_LIMITED);
    assertEquals(withExtra.extra(), stats.extra());
  }

  @Test
  void legacyCooldownModel_readAsThatModelsWindow() {
    UsageStats legacy =
        new UsageStats(
            null,
            clock.millis() + 10_000,
            "rate_limit",
            "Opus",
            null,
            null,
            1,
            Map.of("rate_limit", 1),
            clock.millis(),
            null,
            null);
    assertNull(legacy.cooldownUntil());
    assertEquals(clock.millis() + 10_000, legacy.model("opus").cooldownUntil());
  }
}
