package dev.tokensink.cooldown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.UsageStats;
import dev.tokensink.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CooldownPolicyTest {
  static final CooldownSettings S = CooldownSettings.DEFAULTS;
  final MutableClock clock = MutableClock.at("2026-11-23T18:00:00Z");
  UsageStats stats = UsageStats.EMPTY;
  List<Transition> last;

  void report(Outcome o) {
    report(o, null, null);
  }

  void report(Outcome o, Duration retryAfter, String model) {
    CooldownPolicy.Result r = CooldownPolicy.apply(stats, o, retryAfter, model, clock.millis(), S);
    stats = r.stats();
    last = r.transitions();
  }

  long inMs(Duration d) {
    return clock.millis() + d.toMillis();
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
  void apply_firstFailure_countsReasonAndCoolsPerLane(Outcome o, String reason, boolean cools) {
    report(o);
    assertEquals(1, stats.errorCount());
    assertEquals(1, stats.failureCounts().get(reason));
    assertEquals(cools ? inMs(Duration.ofSeconds(30)) : null, stats.cooldownUntil());
    assertEquals(cools ? reason : null, stats.cooldownReason());
  }

  @Test
  void apply_timeoutsThenRateLimit_ladderClimbsByErrorCountToCap() {
    report(Outcome.TIMEOUT);
    assertNull(stats.cooldownUntil());
    report(Outcome.RATE_LIMITED);
    assertEquals(inMs(Duration.ofSeconds(60)), stats.cooldownUntil());
    clock.advance(Duration.ofMinutes(2)); // window over: the next failure starts counting afresh
    report(Outcome.TIMEOUT);
    report(Outcome.TIMEOUT);
    report(Outcome.TIMEOUT);
    report(Outcome.OVERLOADED);
    assertEquals(4, stats.errorCount());
    assertEquals(inMs(Duration.ofMinutes(5)), stats.cooldownUntil());
  }

  @Test
  void apply_failuresInsideActiveWindow_countedButNeverExtend() {
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
  void apply_failureAfterLastWindowExpired_countersResetToFirstStep() {
    report(Outcome.RATE_LIMITED);
    report(Outcome.RATE_LIMITED);
    clock.advance(Duration.ofSeconds(31));
    report(Outcome.RATE_LIMITED);
    assertEquals(1, stats.errorCount());
    assertEquals(inMs(Duration.ofSeconds(30)), stats.cooldownUntil());
  }

  @Test
  void apply_escalatingAcrossWindows_optionClimbsLadder() {
    CooldownSettings climbing = S.withResetOnExpiry(false);
    long[] expected = {30, 60, 300, 300};
    for (long seconds : expected) {
      stats =
          CooldownPolicy.apply(stats, Outcome.RATE_LIMITED, null, null, clock.millis(), climbing)
              .stats();
      assertEquals(inMs(Duration.ofSeconds(seconds)), stats.cooldownUntil());
      clock.advance(Duration.ofSeconds(seconds + 1));
    }
  }

  @Test
  void apply_openclawLadderOption_usesItsSteps() {
    CooldownSettings oc = S.withLadder(CooldownSettings.OPENCLAW_LADDER);
    stats =
        CooldownPolicy.apply(stats, Outcome.RATE_LIMITED, null, null, clock.millis(), oc).stats();
    assertEquals(inMs(Duration.ofMinutes(1)), stats.cooldownUntil());
  }

  @Test
  void apply_24hWithoutFailure_countersReset() {
    report(Outcome.TIMEOUT);
    report(Outcome.TIMEOUT);
    clock.advance(Duration.ofHours(24));
    report(Outcome.TIMEOUT);
    assertEquals(1, stats.errorCount());
    assertEquals(1, stats.failureCounts().get("timeout"));
  }

  @Test
  void apply_quietPeriod_countsFromEndOfLastWindow() {
    CooldownSettings climbing = S.withResetOnExpiry(false);
    stats =
        CooldownPolicy.apply(stats, Outcome.BILLING, null, null, clock.millis(), climbing).stats();
    clock.advance(Duration.ofHours(5 + 23));
    stats =
        CooldownPolicy.apply(stats, Outcome.BILLING, null, null, clock.millis(), climbing).stats();
    assertEquals(inMs(Duration.ofHours(10)), stats.disabledUntil());
    clock.advance(Duration.ofHours(10 + 24));
    stats =
        CooldownPolicy.apply(stats, Outcome.BILLING, null, null, clock.millis(), climbing).stats();
    assertEquals(inMs(Duration.ofHours(5)), stats.disabledUntil());
  }

  @Test
  void apply_retryAfter_usedInsteadOfLadderAndCappedAt1h() {
    report(Outcome.RATE_LIMITED, Duration.ofSeconds(7), null);
    assertEquals(inMs(Duration.ofSeconds(7)), stats.cooldownUntil());
    clock.advance(Duration.ofSeconds(8));
    report(Outcome.RATE_LIMITED, Duration.ofHours(9), null);
    assertEquals(inMs(Duration.ofHours(1)), stats.cooldownUntil());
  }

  @Test
  void apply_retryAfterZero_countedWithoutWindow() {
    report(Outcome.RATE_LIMITED, Duration.ZERO, null);
    assertNull(stats.cooldownUntil());
    assertEquals(1, stats.errorCount());
  }

  @Test
  void apply_negativeRetryAfter_rejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> report(Outcome.RATE_LIMITED, Duration.ofSeconds(-1), null));
  }

  @Test
  void apply_ok_clearsEverythingAndSetsLastUsed() {
    report(Outcome.BILLING);
    report(Outcome.RATE_LIMITED, null, "opus");
    clock.advance(Duration.ofSeconds(1));
    report(Outcome.OK);
    assertEquals(UsageStats.EMPTY.withLastUsed(clock.millis()), stats);
    assertEquals(Transition.Type.ENDED, last.get(0).type());
  }

  @Test
  void apply_okWithoutWindow_noTransition() {
    report(Outcome.OK);
    assertTrue(last.isEmpty());
  }

  @Test
  void apply_billing_doublesFrom5hTo24hCap() {
    CooldownSettings climbing = S.withResetOnExpiry(false);
    for (long h : new long[] {5, 10, 20, 24, 24}) {
      CooldownPolicy.Result r =
          CooldownPolicy.apply(stats, Outcome.BILLING, null, null, clock.millis(), climbing);
      stats = r.stats();
      assertEquals(inMs(Duration.ofHours(h)), stats.disabledUntil());
      assertEquals("billing", stats.disabledReason());
      assertEquals(Transition.Type.DISABLED_STARTED, r.transitions().get(0).type());
      clock.advance(Duration.ofHours(h).plusMinutes(1));
    }
  }

  @Test
  void apply_billingAfterExpiredDisable_defaultRestartsAt5h() {
    report(Outcome.BILLING);
    clock.advance(Duration.ofHours(6));
    report(Outcome.BILLING);
    assertEquals(inMs(Duration.ofHours(5)), stats.disabledUntil());
  }

  @Test
  void apply_authPermanent_doublesFrom10minTo60minCap() {
    CooldownSettings climbing = S.withResetOnExpiry(false);
    for (long m : new long[] {10, 20, 40, 60}) {
      stats =
          CooldownPolicy.fail(
                  stats, FailureReason.AUTH_PERMANENT, null, null, clock.millis(), climbing)
              .stats();
      assertEquals(inMs(Duration.ofMinutes(m)), stats.disabledUntil());
      assertEquals("auth_permanent", stats.disabledReason());
      clock.advance(Duration.ofMinutes(m + 1));
    }
  }

  @Test
  void apply_billingDuringActiveDisable_notExtended() {
    report(Outcome.BILLING);
    long until = stats.disabledUntil();
    clock.advance(Duration.ofHours(1));
    report(Outcome.BILLING);
    assertEquals(until, stats.disabledUntil());
    assertEquals(2, stats.failureCounts().get("billing"));
  }

  @Test
  void apply_modelScopedOutcomeWithModel_coolsOnlyThatModel() {
    report(Outcome.RATE_LIMITED, null, "opus");
    assertEquals("opus", stats.cooldownModel());
    assertEquals("opus", last.get(0).model());
    assertNull(Usability.usableAt(stats, "sonnet", clock.millis()));
    assertEquals(stats.cooldownUntil(), Usability.usableAt(stats, "opus", clock.millis()));
  }

  @Test
  void apply_modelNotFoundWithModel_coolsOnlyThatModel() {
    report(Outcome.MODEL_NOT_FOUND, null, "gpt-9");
    assertEquals("gpt-9", stats.cooldownModel());
    assertEquals("model_not_found", stats.cooldownReason());
  }

  @Test
  void apply_profileWideOutcomeWithModel_coolsWholeProfile() {
    report(Outcome.OVERLOADED, null, "opus");
    assertNull(stats.cooldownModel());
    assertEquals(stats.cooldownUntil(), Usability.usableAt(stats, "sonnet", clock.millis()));
  }

  @Test
  void apply_secondModelLimitedWhileFirstCooling_widensWithoutExtending() {
    report(Outcome.RATE_LIMITED, null, "opus");
    long until = stats.cooldownUntil();
    clock.advance(Duration.ofSeconds(5));
    report(Outcome.RATE_LIMITED, null, "sonnet");
    assertNull(stats.cooldownModel());
    assertEquals(until, stats.cooldownUntil());
  }

  @Test
  void apply_usageLimit_disabledUntilRetryAfterWithHalfOpenProbe() {
    report(Outcome.USAGE_LIMIT, Duration.ofHours(3), null);
    assertEquals(inMs(Duration.ofHours(3)), stats.disabledUntil());
    assertEquals("usage_limit", stats.disabledReason());
    assertEquals(inMs(Duration.ofMinutes(5)), Usability.usableAt(stats, null, clock.millis()));

    clock.advance(Duration.ofMinutes(5));
    long now = clock.millis();
    assertNull(Usability.usableAt(stats, null, now));
    assertTrue(Usability.probeOnly(stats, now));
    stats = Usability.claimProbe(stats, now, S);
    assertEquals(now + Duration.ofMinutes(5).toMillis(), Usability.usableAt(stats, null, now));

    clock.advance(Duration.ofMinutes(5));
    report(Outcome.OK);
    assertNull(stats.disabledUntil());
    assertNull(stats.probeAfter());
  }

  @Test
  void apply_usageLimitDefaultsAndCap() {
    report(Outcome.USAGE_LIMIT);
    assertEquals(inMs(Duration.ofHours(1)), stats.disabledUntil());
    stats = UsageStats.EMPTY;
    report(Outcome.USAGE_LIMIT, Duration.ofDays(30), null);
    assertEquals(inMs(Duration.ofDays(7)), stats.disabledUntil());
  }

  @Test
  void apply_failedProbe_pushesNextProbeWithoutExtendingBlock() {
    report(Outcome.USAGE_LIMIT, Duration.ofHours(3), null);
    long until = stats.disabledUntil();
    clock.advance(Duration.ofMinutes(6));
    report(Outcome.USAGE_LIMIT, Duration.ofHours(3), null);
    assertEquals(until, stats.disabledUntil());
    assertEquals(inMs(Duration.ofMinutes(5)), stats.probeAfter());
  }

  @Test
  void apply_keepsUnknownFields() {
    UsageStats withExtra =
        new UsageStats(
            null,
            null,
            null,
            null,
            null,
            null,
            0,
            null,
            null,
            null,
            java.util.Map.of("future", com.fasterxml.jackson.databind.node.TextNode.valueOf("x")));
    stats = withExtra;
    report(Outcome.RATE_LIMITED);
    assertEquals(withExtra.extra(), stats.extra());
  }
}
