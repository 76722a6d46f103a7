package dev.tokensink.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.events.LifecycleEvent.Type;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ReauthMark;
import dev.tokensink.model.Secret;
import dev.tokensink.model.UsageStats;
import dev.tokensink.testing.MutableClock;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventHubTest {
  private static final AgentId MAIN = AgentId.MAIN;
  private static final ProfileId CODEX = ProfileId.parse("openai-codex:default");
  private static final ProfileId CLAUDE = ProfileId.parse("anthropic:work");
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
  private final ExecutorService delivery =
      Executors.newFixedThreadPool(4, r -> new Thread(r, "hub-delivery"));
  private final EventHub hub = new EventHub(clock, delivery, 16);

  @AfterEach
  void tearDown() {
    delivery.shutdownNow();
  }

  private AgentSnapshot snapshot(long codexExpiresInMs) {
    Profile codex =
        Profile.of(
            CODEX,
            new Credential.OAuth(
                Secret.of("access-token-0123456789"),
                Secret.of("refresh-token-0123456789"),
                clock.millis() + codexExpiresInMs,
                null,
                null));
    Profile claude =
        Profile.of(CLAUDE, new Credential.Token(Secret.of("sk-ant-oat01-x"), null, null));
    return AgentSnapshot.empty(MAIN).withProfile(codex).withProfile(claude);
  }

  private LifecycleEvent event(Type type) {
    return LifecycleEvent.of(type, MAIN, CODEX, null, null, clock.instant(), "test");
  }

  @Test
  void subscribe_sendsCurrentStateFirst_thenLiveEvents() {
    AgentSnapshot s = snapshot(-1000);
    UsageStats cooling =
        new UsageStats(
            null,
            clock.millis() + 60_000,
            "rate_limit",
            null,
            null,
            null,
            1,
            Map.of(),
            null,
            null,
            Map.of());
    AgentSnapshot state =
        s.withState(
            s.state()
                .withUsage(CLAUDE, cooling)
                .withReauth(
                    CODEX,
                    new ReauthMark("the provider rejected the refresh token", clock.millis())));
    AssertSubscriber<LifecycleEvent> sub =
        hub.subscribe(EventFilter.ALL, Duration.ofMinutes(5), () -> List.of(state))
            .subscribe()
            .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
    sub.awaitItems(2, WAIT);
    assertEquals(List.of(Type.REAUTH_REQUIRED, Type.COOLDOWN_STARTED), types(sub));
    hub.publish(event(Type.REFRESH_FAILED));
    sub.awaitItems(3, WAIT);
    assertEquals(Type.REFRESH_FAILED, sub.getItems().get(2).type());
  }

  @Test
  void subscribe_filterByProvider_seesOnlyThatProvider() {
    AssertSubscriber<LifecycleEvent> sub =
        hub.subscribe(
                new EventFilter(null, MAIN, CLAUDE.provider()), Duration.ofMinutes(5), List::of)
            .subscribe()
            .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
    hub.publish(event(Type.REFRESHED));
    hub.publish(
        LifecycleEvent.of(Type.COOLDOWN_STARTED, MAIN, CLAUDE, null, null, clock.instant(), "429"));
    sub.awaitItems(1, WAIT);
    assertEquals(CLAUDE, sub.getItems().get(0).profileId());
    assertEquals(1, sub.getItems().size());
  }

  @Test
  void slowSubscriber_losesOldestOnly_neverStallsPublisherOrOthers() {
    AssertSubscriber<LifecycleEvent> slow =
        hub.subscribe(EventFilter.ALL, Duration.ZERO, List::of)
            .subscribe()
            .withSubscriber(AssertSubscriber.create(0));
    AssertSubscriber<LifecycleEvent> fast =
        hub.subscribe(EventFilter.ALL, Duration.ZERO, List::of)
            .subscribe()
            .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
    for (int i = 0; i < 100; i++) {
      hub.publish(
          LifecycleEvent.of(
              Type.COOLDOWN_STARTED, MAIN, CODEX, null, null, clock.instant(), "n" + i));
      fast.awaitItems(
          i + 1, WAIT); // the fast one keeps receiving while the slow one requests nothing
    }
    assertEquals(100 - 16, hub.droppedEvents());
    slow.request(100);
    slow.awaitItems(16, WAIT);
    assertEquals("n84", slow.getItems().get(0).reason(), "the newest 16 are kept");
  }

  @Test
  void tenThousandSubscribers_oneEventReachesAll_withoutThreadPerSubscriber() {
    List<AssertSubscriber<LifecycleEvent>> subs = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      subs.add(
          hub.subscribe(EventFilter.ALL, Duration.ofMinutes(i % 3 + 1), List::of)
              .subscribe()
              .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)));
    }
    hub.publish(event(Type.REFRESHED));
    subs.forEach(s -> s.awaitItems(1, WAIT));
    long deliveryThreads =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("hub-delivery"))
            .count();
    assertTrue(deliveryThreads <= 4, "delivery uses the shared pool only");
    subs.forEach(AssertSubscriber::cancel);
    assertEquals(0, hub.subscriberCount());
  }

  @Test
  void tick_expiringOncePerLeadTime_thenExpiredOnce() {
    AgentSnapshot[] current = {snapshot(Duration.ofMinutes(30).toMillis())};
    AssertSubscriber<LifecycleEvent> five =
        hub.subscribe(EventFilter.ALL, Duration.ofMinutes(5), () -> List.of(current))
            .subscribe()
            .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
    AssertSubscriber<LifecycleEvent> twenty =
        hub.subscribe(EventFilter.ALL, Duration.ofMinutes(20), () -> List.of(current))
            .subscribe()
            .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
    clock.advance(Duration.ofMinutes(15)); // 15 min left
    hub.tick(List.of(current));
    hub.tick(List.of(current));
    twenty.awaitItems(1, WAIT);
    clock.advance(Duration.ofMinutes(11)); // 4 min left
    hub.tick(List.of(current));
    five.awaitItems(1, WAIT);
    clock.advance(Duration.ofMinutes(5)); // expired
    hub.tick(List.of(current));
    hub.tick(List.of(current));
    five.awaitItems(2, WAIT);
    twenty.awaitItems(2, WAIT);
    assertEquals(List.of(Type.EXPIRING, Type.EXPIRED), types(five));
    assertEquals(List.of(Type.EXPIRING, Type.EXPIRED), types(twenty));
  }

  @Test
  void publish_sameRefreshTwice_deliveredOnce() {
    AssertSubscriber<LifecycleEvent> sub =
        hub.subscribe(EventFilter.ALL, Duration.ZERO, List::of)
            .subscribe()
            .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
    LifecycleEvent refreshed =
        LifecycleEvent.of(Type.REFRESHED, MAIN, CODEX, null, 5000L, clock.instant(), "a");
    hub.publish(refreshed);
    hub.publish(
        LifecycleEvent.of(
            Type.REFRESHED, MAIN, CODEX, null, 5000L, clock.instant(), "credential replaced"));
    hub.publish(event(Type.REFRESH_FAILED));
    sub.awaitItems(2, WAIT);
    assertEquals(List.of(Type.REFRESHED, Type.REFRESH_FAILED), types(sub));
  }

  private static List<Type> types(AssertSubscriber<LifecycleEvent> sub) {
    return sub.getItems().stream().map(LifecycleEvent::type).toList();
  }
}
