package dev.tokensink.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.events.LifecycleEvent;
import dev.tokensink.events.LifecycleEvent.Type;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ReauthMark;
import dev.tokensink.testing.StrictOAuthServer.Fault;
import io.smallrye.mutiny.Uni;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cases 1–5 of "a lost answer must never cost the user's grant" (docs/rules.md §2, docs/refresh.md)
 * against the strict provider (rotation, reuse revokes the grant, RFC 7662 introspection), with the
 * real token client and file store. Times are scaled down where the semantics are the same: the
 * provider's hold is longer or shorter than the answer timeout as in the full-size case, and
 * callers wait {@code caller-wait} = 300 ms. Each test checks what a user would notice: the token
 * calls the provider saw, reuses (always 0), and whether the grant survives.
 */
class LostAnswerTest {
  private static final Duration CALLER_WAIT = Duration.ofMillis(300);
  private static final Duration LONG = Duration.ofSeconds(20);

  @TempDir Path dir;
  private RefreshFixture f;

  @AfterEach
  void tearDown() {
    if (f != null) {
      assertEquals(0, f.strict.reusesDetected(), "refresh-token reuses");
      assertEquals(0, f.strict.grantsRevoked(), "grants revoked");
      f.close();
    }
  }

  private void start(Duration answerTimeout, boolean introspection) {
    f =
        new RefreshFixture(
            dir, Duration.ZERO, RefreshSettings.of(answerTimeout, CALLER_WAIT), introspection);
  }

  private static Profile await(Uni<Profile> u) {
    return u.await().atMost(LONG);
  }

  private RefreshException refused(Profile cached) {
    return assertThrows(
        RefreshException.class,
        () -> await(f.coordinator.ensureFresh(RefreshFixture.AGENT, cached)));
  }

  /** The grant lives and the store holds its current refresh token. */
  private void assertGrantSurvives() {
    String stored = RefreshFixture.oauth(f.storedProfile()).refresh().reveal();
    assertTrue(f.strict.isActiveRefreshToken(stored), "the stored refresh token is the live one");
    assertFalse(f.stored().state().reauth().containsKey(RefreshFixture.ID));
    assertTrue(f.stored().state().refreshInFlight().isEmpty());
  }

  private ReauthMark reauthMark() {
    return f.stored().state().reauth().get(RefreshFixture.ID);
  }

  @Test
  void case1_providerHoldsTheRequest_thenAnswers_callersDoNotWait_oneCall_grantSurvives()
      throws Exception {
    start(Duration.ofSeconds(10), false);
    Profile cached = f.login();
    f.strict.holdNext(1, Duration.ofSeconds(2)); // shorter than the answer timeout, as 40 s < 120 s
    f.clock.advance(Duration.ofHours(2)); // the access token has expired

    long t0 = System.nanoTime();
    RefreshException e = refused(cached);
    long waitedMs = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(RefreshException.Kind.UNAVAILABLE, e.kind());
    assertTrue(e.getMessage().contains("waiting for the provider's answer"), e.getMessage());
    assertTrue(e.getMessage().contains("next attempt after"), e.getMessage());
    assertTrue(waitedMs < 2000, "the caller waited for caller-wait, not the answer: " + waitedMs);

    f.awaitEvent(Type.REFRESHED, LONG); // the flight went on and stored the answer
    Profile served = await(f.coordinator.ensureFresh(RefreshFixture.AGENT, cached));
    assertNotEquals(RefreshFixture.oauth(cached).access(), RefreshFixture.oauth(served).access());
    assertEquals(1, f.strict.refreshCalls(), "one token call");
    assertGrantSurvives();
  }

  @Test
  void case1_stillValidToken_isServedWhileTheAnswerIsPending() throws Exception {
    start(Duration.ofSeconds(10), false);
    Profile cached = f.login();
    f.strict.holdNext(1, Duration.ofSeconds(2));
    // inside the serving margin (30 s) but not expired: a refresh starts, the caller is not kept
    f.clock.advance(Duration.ofMinutes(59).plusSeconds(45));
    Profile served = await(f.coordinator.ensureFresh(RefreshFixture.AGENT, cached));
    assertEquals(RefreshFixture.oauth(cached).access(), RefreshFixture.oauth(served).access());
    f.awaitEvent(Type.REFRESHED, LONG);
    assertEquals(1, f.strict.refreshCalls());
    assertGrantSurvives();
  }

  @Test
  void case2_rotatesThenResets_noIntrospection_reauthRequired_noReplay() throws Exception {
    start(Duration.ofSeconds(10), false);
    Profile cached = f.login();
    String original = RefreshFixture.oauth(cached).refresh().reveal();
    f.strict.faultNext(Fault.ROTATE_THEN_RESET, 1);
    f.clock.advance(Duration.ofHours(2));

    refused(cached);
    LifecycleEvent reauth = f.awaitEvent(Type.REAUTH_REQUIRED, LONG);
    assertEquals(RefreshWork.LOST_REASON, reauth.reason());
    assertEquals(RefreshWork.LOST_REASON, reauthMark().reason());
    LifecycleEvent lost = f.awaitEvent(Type.REFRESH_FAILED, LONG);
    assertTrue(lost.reason().contains("answer was lost"), lost.reason());
    assertTrue(lost.reason().contains("not replayed"), lost.reason());
    // the provider did rotate: the token we hold is spent, and it was never sent again
    assertFalse(f.strict.isActiveRefreshToken(original));
    RefreshException again = refused(cached);
    assertEquals(RefreshException.Kind.REAUTH_REQUIRED, again.kind());
    assertEquals(1, f.strict.refreshCalls(), "0 replays");
    assertEquals(0, f.strict.invalidGrants());
    assertEquals(1, f.coordinator.counters().answersLost());
  }

  @Test
  void case2_rotatesThenResets_introspectionSaysSpent_reauthRequired_noReplay() throws Exception {
    start(Duration.ofSeconds(10), true);
    Profile cached = f.login();
    f.strict.faultNext(Fault.ROTATE_THEN_RESET, 1);
    f.clock.advance(Duration.ofHours(2));

    refused(cached);
    LifecycleEvent reauth = f.awaitEvent(Type.REAUTH_REQUIRED, LONG);
    assertEquals(RefreshWork.INACTIVE_REASON, reauth.reason());
    assertEquals(1, f.strict.introspectCalls());
    assertEquals(1, f.strict.refreshCalls(), "0 replays");
    assertEquals(0, f.strict.invalidGrants());
  }

  @Test
  void case3_heldPastTheAnswerTimeout_thenRotates_noReplay() throws Exception {
    start(Duration.ofSeconds(1), false);
    Profile cached = f.login();
    String original = RefreshFixture.oauth(cached).refresh().reveal();
    f.strict.holdNext(1, Duration.ofSeconds(2)); // longer than the answer timeout
    f.clock.advance(Duration.ofHours(2));

    refused(cached);
    LifecycleEvent reauth = f.awaitEvent(Type.REAUTH_REQUIRED, LONG);
    assertEquals(RefreshWork.LOST_REASON, reauth.reason());
    // the provider now handles the held request: it rotates, and nobody ever sends `original` again
    long deadline = System.nanoTime() + LONG.toNanos();
    while (f.strict.isActiveRefreshToken(original) && System.nanoTime() < deadline) {
      Thread.sleep(20); // the stand-in's hold is real time
    }
    assertFalse(f.strict.isActiveRefreshToken(original), "the held request was processed");
    refused(cached);
    assertEquals(1, f.strict.refreshCalls(), "0 replays");
  }

  @Test
  void case3_heldPastTheAnswerTimeout_notProcessed_introspectionActive_retried_grantSurvives()
      throws Exception {
    start(Duration.ofSeconds(1), true);
    Profile cached = f.login();
    // held past the answer timeout, then dropped unprocessed: the token is still active
    f.strict.holdNext(1, Duration.ofSeconds(2)).faultNext(Fault.DROP_CONNECTION, 1);
    f.clock.advance(Duration.ofHours(2));

    refused(cached);
    f.awaitEvent(Type.REFRESHED, LONG);
    assertEquals(1, f.strict.introspectCalls());
    assertEquals(2, f.strict.refreshCalls(), "one call, one retry after introspection");
    assertEquals(1, f.coordinator.counters().answersLost());
    assertGrantSurvives();
  }

  @Test
  void case4_connectionRefusedFor20s_thenBack_retried_grantSurvives() throws Exception {
    start(Duration.ofSeconds(10), false);
    Profile cached = f.login();
    f.strict.refuseConnections();
    f.clock.advance(Duration.ofHours(2));
    for (int s = 0; s < 20; s += 5) {
      RefreshException e = refused(cached);
      assertEquals(RefreshException.Kind.UNAVAILABLE, e.kind());
      f.clock.advance(Duration.ofSeconds(5));
    }
    assertTrue(f.coordinator.counters().notSent() >= 1, f.coordinator.counters().toString());
    assertTrue(f.stored().state().refreshInFlight().isEmpty(), "nothing was sent: no marker");

    f.strict.acceptConnections();
    f.clock.advance(RefreshSettings.DEFAULTS.backoffMax()); // past any backoff
    Profile served = await(f.coordinator.ensureFresh(RefreshFixture.AGENT, cached));
    assertNotEquals(RefreshFixture.oauth(cached).access(), RefreshFixture.oauth(served).access());
    assertEquals(1, f.strict.refreshCalls(), "the provider saw only the request that got through");
    assertGrantSurvives();
  }

  @Test
  void case5_503ThreeTimes_then200_grantSurvives() throws Exception {
    start(Duration.ofSeconds(10), false);
    Profile cached = f.login();
    f.strict.faultNext(Fault.UNAVAILABLE_503, 3);
    f.clock.advance(Duration.ofHours(2));
    Profile served = null;
    for (int attempt = 1; attempt <= 6 && served == null; attempt++) {
      try {
        served = await(f.coordinator.ensureFresh(RefreshFixture.AGENT, cached));
      } catch (RefreshException e) {
        assertEquals(RefreshException.Kind.UNAVAILABLE, e.kind());
        f.clock.advance(RefreshSettings.DEFAULTS.backoffMax());
      }
    }
    assertTrue(served != null, "served after the 503s");
    assertEquals(4, f.strict.refreshCalls(), "three 503s, then the answer");
    assertGrantSurvives();
  }
}
