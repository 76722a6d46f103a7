package dev.tokensink.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.events.EventFilter;
import dev.tokensink.events.LifecycleEvent;
import dev.tokensink.events.LifecycleEvent.Type;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Profile;
import dev.tokensink.model.Secret;
import dev.tokensink.oauth.TokenClient;
import dev.tokensink.testing.StrictOAuthServer;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefreshLifecycleTest {
  @TempDir Path dir;
  private RefreshFixture f;

  @AfterEach
  void tearDown() {
    if (f != null) {
      f.close();
    }
  }

  private Profile await(io.smallrye.mutiny.Uni<Profile> u) {
    return u.await().atMost(Duration.ofSeconds(10));
  }

  private List<AgentSnapshot> snapshots() {
    return List.of(f.stored());
  }

  @Test
  void tick_insideRefreshWindow_refreshesAndSubscriberSeesExpiringThenRefreshed() {
    f = new RefreshFixture(dir);
    f.login();
    AssertSubscriber<LifecycleEvent> sub =
        f.hub
            .subscribe(EventFilter.ALL, Duration.ofMinutes(20), this::snapshots)
            .subscribe()
            .withSubscriber(AssertSubscriber.create(10));
    f.clock.advance(Duration.ofMinutes(40)); // 20 min left: outside 15 min ± 10 %
    f.coordinator.tick(snapshots()).join();
    assertEquals(0, f.strict.refreshCalls());

    f.clock.advance(Duration.ofMinutes(10)); // 10 min left: inside the window
    f.hub.tick(snapshots());
    f.coordinator.tick(snapshots()).join();
    assertEquals(1, f.strict.refreshCalls());
    sub.awaitItems(2, Duration.ofSeconds(5));
    assertEquals(
        List.of(Type.EXPIRING, Type.REFRESHED),
        sub.getItems().stream().map(LifecycleEvent::type).toList());
    long newExpiry = f.clock.millis() + Duration.ofHours(1).toMillis();
    assertEquals(newExpiry, RefreshFixture.oauth(f.storedProfile()).expires());
    assertEquals(f.stored(), f.cache.get(), "the cache got the persisted snapshot");

    f.coordinator.tick(snapshots()).join();
    assertEquals(1, f.strict.refreshCalls(), "fresh again: no second refresh");
  }

  @Test
  void invalidGrant_marksReauthOnStreamAndDisk_neverRetried() {
    f = new RefreshFixture(dir);
    Profile cached = f.login();
    AssertSubscriber<LifecycleEvent> sub =
        f.hub
            .subscribe(EventFilter.ALL, Duration.ofMinutes(1), this::snapshots)
            .subscribe()
            .withSubscriber(AssertSubscriber.create(10));
    f.strict.respondWith(400, "{\"error\":\"invalid_grant\"}");
    f.clock.advance(Duration.ofMinutes(59).plusSeconds(50));

    RefreshException e =
        assertThrows(
            RefreshException.class,
            () -> await(f.coordinator.ensureFresh(RefreshFixture.AGENT, cached)));
    assertEquals(RefreshException.Kind.REAUTH_REQUIRED, e.kind());
    assertTrue(f.stored().state().reauth().containsKey(RefreshFixture.ID));
    sub.awaitItems(1, Duration.ofSeconds(5));
    assertEquals(Type.REAUTH_REQUIRED, sub.getItems().get(0).type());

    assertThrows(
        RefreshException.class,
        () -> await(f.coordinator.ensureFresh(RefreshFixture.AGENT, cached)));
    f.coordinator.tick(snapshots()).join();
    assertEquals(1, f.strict.refreshCalls(), "never retried in a loop");
    assertEquals(1, f.coordinator.counters().endpointCalls());
  }

  @Test
  void providerDown_validTokenStillServed_refreshFailedAndBackoff_thenRecovers() {
    f = new RefreshFixture(dir);
    Profile cached = f.login();
    f.strict.fault(StrictOAuthServer.Fault.SERVER_ERROR);
    f.clock.advance(
        Duration.ofMinutes(59).plusSeconds(40)); // 20 s left: inside the 30 s serving margin

    Profile served = await(f.coordinator.ensureFresh(RefreshFixture.AGENT, cached));
    assertTrue(RefreshFixture.oauth(served).access().sameAs(RefreshFixture.oauth(cached).access()));
    assertEquals(1, f.strict.refreshCalls());
    assertTrue(f.published.stream().anyMatch(ev -> ev.type() == Type.REFRESH_FAILED));
    assertTrue(f.stored().state().refreshInFlight().isEmpty());

    assertSame(
        cached,
        await(f.coordinator.ensureFresh(RefreshFixture.AGENT, cached)),
        "in backoff: served as is");
    f.coordinator.tick(snapshots()).join();
    assertEquals(1, f.strict.refreshCalls(), "backoff holds further attempts");

    f.clock.advance(Duration.ofSeconds(1));
    await(f.coordinator.ensureFresh(RefreshFixture.AGENT, cached));
    assertEquals(2, f.strict.refreshCalls(), "retried after 1 s");
    f.clock.advance(Duration.ofSeconds(1));
    await(f.coordinator.ensureFresh(RefreshFixture.AGENT, cached));
    assertEquals(2, f.strict.refreshCalls(), "second failure doubled the backoff to 2 s");

    f.strict.reset();
    f.clock.advance(Duration.ofSeconds(1));
    Profile recovered = await(f.coordinator.ensureFresh(RefreshFixture.AGENT, cached));
    assertNotEquals(
        RefreshFixture.oauth(cached).access(), RefreshFixture.oauth(recovered).access());
    assertEquals(3, f.strict.refreshCalls());
  }

  @Test
  void providerDown_tokenExpired_unavailable() {
    f = new RefreshFixture(dir);
    Profile cached = f.login();
    f.strict.faultNext(StrictOAuthServer.Fault.UNAVAILABLE_503, 5);
    f.clock.advance(Duration.ofHours(2));
    RefreshException e =
        assertThrows(
            RefreshException.class,
            () -> await(f.coordinator.ensureFresh(RefreshFixture.AGENT, cached)));
    assertEquals(RefreshException.Kind.UNAVAILABLE, e.kind());
    assertTrue(e.getMessage().contains("next attempt after"), e.getMessage());
    assertThrows(
        RefreshException.class,
        () -> await(f.coordinator.ensureFresh(RefreshFixture.AGENT, cached)));
    assertEquals(1, f.strict.refreshCalls());
  }

  @Test
  void crashMarker_graceZero_reauthWithCrashReason_noCall() {
    f = new RefreshFixture(dir);
    f.login();
    leaveMarker(Duration.ofSeconds(5));
    f.coordinator.recoverInterrupted(snapshots()).join();
    assertEquals(
        "refresh interrupted by a crash",
        f.stored().state().reauth().get(RefreshFixture.ID).reason());
    assertTrue(f.stored().state().refreshInFlight().isEmpty());
    assertEquals(0, f.strict.refreshCalls());
    assertTrue(
        f.published.stream()
            .anyMatch(
                e ->
                    e.type() == Type.REAUTH_REQUIRED
                        && e.reason().equals("refresh interrupted by a crash")));
  }

  @Test
  void crashMarker_youngerThanGrace_retriedWithSpentTokenAccepted() throws Exception {
    f = new RefreshFixture(dir, Duration.ofSeconds(30));
    f.strict.refreshGrace(Duration.ofSeconds(30));
    Profile p = f.login();
    // The crashed process got its answer, which was lost: the stored refresh token is now spent.
    new TokenClient()
        .refresh(
            RefreshFixture.providers(f.strict, Duration.ZERO).find("openai-codex").orElseThrow(),
            RefreshFixture.oauth(p).refresh());
    leaveMarker(Duration.ofSeconds(5));
    f.coordinator.recoverInterrupted(snapshots()).join();
    assertTrue(f.stored().state().reauth().isEmpty());
    assertTrue(f.stored().state().refreshInFlight().isEmpty());
    assertEquals(2, f.strict.refreshCalls());
    assertEquals(0, f.strict.reusesDetected());
    assertNotEquals(
        RefreshFixture.oauth(p).refresh(), RefreshFixture.oauth(f.storedProfile()).refresh());
  }

  @Test
  void forceRefresh_futureExpiry_refreshesOnce_secondReportSkipsEndpoint() {
    f = new RefreshFixture(dir);
    Profile cached = f.login();
    Secret saw = RefreshFixture.oauth(cached).access();
    Profile after = await(f.coordinator.forceRefresh(RefreshFixture.AGENT, RefreshFixture.ID, saw));
    assertNotEquals(saw, RefreshFixture.oauth(after).access());
    Profile again = await(f.coordinator.forceRefresh(RefreshFixture.AGENT, RefreshFixture.ID, saw));
    assertEquals(RefreshFixture.oauth(after).access(), RefreshFixture.oauth(again).access());
    assertEquals(1, f.strict.refreshCalls());
  }

  @Test
  void ensureFresh_servable_returnsCachedInstanceWithoutFlight() {
    f = new RefreshFixture(dir);
    Profile cached = f.login();
    assertSame(cached, await(f.coordinator.ensureFresh(RefreshFixture.AGENT, cached)));
    assertEquals(0, f.coordinator.counters().flights());
  }

  @Test
  void ensureFresh_staleCacheAfterOtherWriterRefreshed_usesStoredWithoutCall() {
    f = new RefreshFixture(dir);
    Profile stale = f.login();
    f.clock.advance(Duration.ofMinutes(50));
    f.coordinator
        .forceRefresh(RefreshFixture.AGENT, RefreshFixture.ID, RefreshFixture.oauth(stale).access())
        .await()
        .atMost(Duration.ofSeconds(10));
    f.clock.advance(Duration.ofMinutes(15));
    Profile served = await(f.coordinator.ensureFresh(RefreshFixture.AGENT, stale));
    assertEquals(
        RefreshFixture.oauth(f.storedProfile()).access(), RefreshFixture.oauth(served).access());
    assertEquals(1, f.strict.refreshCalls());
    assertEquals(1, f.coordinator.counters().usedStored());
  }

  private void leaveMarker(Duration age) {
    long since = f.clock.millis() - age.toMillis();
    f.store.update(
        RefreshFixture.AGENT,
        tx -> {
          tx.write(
              tx.current()
                  .withState(tx.current().state().withRefreshInFlight(RefreshFixture.ID, since)));
          return null;
        });
  }
}
