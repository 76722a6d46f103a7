package dev.tokensink.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProviderId;
import dev.tokensink.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SessionPinsTest {
  static final AgentId MAIN = AgentId.MAIN;
  static final ProviderId ANTHROPIC = ProviderId.of("anthropic");
  static final ProfileId WORK = ProfileId.parse("anthropic:work");
  static final ProfileId DEFAULT = ProfileId.parse("anthropic:default");

  final MutableClock clock = MutableClock.at("2026-11-23T18:00:00Z");

  @Test
  void get_pinnedSession_returnsProfileScopedByAgentAndProvider() {
    SessionPins pins = new SessionPins(clock, 100, Duration.ofMinutes(30));
    pins.put(MAIN, ANTHROPIC, "s1", WORK);
    assertEquals(Optional.of(WORK), pins.get(MAIN, ANTHROPIC, "s1"));
    assertEquals(Optional.empty(), pins.get(AgentId.of("work"), ANTHROPIC, "s1"));
    assertEquals(Optional.empty(), pins.get(MAIN, ProviderId.of("openai"), "s1"));
    assertEquals(Optional.empty(), pins.get(MAIN, ANTHROPIC, "s2"));
    assertEquals(Optional.empty(), pins.get(MAIN, ANTHROPIC, ""));
  }

  @Test
  void get_idleLongerThanTtl_expires() {
    SessionPins pins = new SessionPins(clock, 100, Duration.ofMinutes(30));
    pins.put(MAIN, ANTHROPIC, "s1", WORK);
    clock.advance(Duration.ofMinutes(30));
    assertEquals(Optional.empty(), pins.get(MAIN, ANTHROPIC, "s1"));
    assertEquals(0, pins.size());
  }

  @Test
  void get_activeSession_renewsIdleTimer() {
    SessionPins pins = new SessionPins(clock, 100, Duration.ofMinutes(30));
    pins.put(MAIN, ANTHROPIC, "s1", WORK);
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofMinutes(20));
      assertEquals(Optional.of(WORK), pins.get(MAIN, ANTHROPIC, "s1"));
    }
  }

  @Test
  void put_expiredEntries_droppedOnWrite() {
    SessionPins pins = new SessionPins(clock, 100, Duration.ofMinutes(30), 1);
    pins.put(MAIN, ANTHROPIC, "old1", WORK);
    pins.put(MAIN, ANTHROPIC, "old2", WORK);
    clock.advance(Duration.ofHours(1));
    pins.put(MAIN, ANTHROPIC, "new", DEFAULT);
    assertEquals(1, pins.size());
  }

  @Test
  void put_overBound_evictsLeastRecentlyUsed() {
    SessionPins pins = new SessionPins(clock, 3, Duration.ofHours(1), 1);
    pins.put(MAIN, ANTHROPIC, "a", WORK);
    pins.put(MAIN, ANTHROPIC, "b", WORK);
    pins.put(MAIN, ANTHROPIC, "c", WORK);
    pins.get(MAIN, ANTHROPIC, "a");
    pins.put(MAIN, ANTHROPIC, "d", DEFAULT);
    assertEquals(3, pins.size());
    assertTrue(pins.get(MAIN, ANTHROPIC, "b").isEmpty());
    assertTrue(pins.get(MAIN, ANTHROPIC, "a").isPresent());
  }

  @Test
  void put_manySessions_sizeStaysWithinBound() {
    SessionPins pins = new SessionPins(clock, 1000, Duration.ofHours(1));
    for (int i = 0; i < 50_000; i++) {
      pins.put(MAIN, ANTHROPIC, "s" + i, WORK);
    }
    assertTrue(pins.size() <= 1000, "size " + pins.size());
  }

  @Test
  void putAndGet_concurrentCallers_everyOwnPinVisible() throws Exception {
    SessionPins pins = new SessionPins(clock, 100_000, Duration.ofHours(1));
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int me = t;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  int seen = 0;
                  for (int i = 0; i < 2_000; i++) {
                    String session = me + "-" + i;
                    pins.put(MAIN, ANTHROPIC, session, i % 2 == 0 ? WORK : DEFAULT);
                    if (pins.get(MAIN, ANTHROPIC, session).isPresent()) {
                      seen++;
                    }
                  }
                  return seen;
                }));
      }
      start.countDown();
      for (Future<Integer> f : results) {
        assertEquals(2_000, f.get(30, TimeUnit.SECONDS));
      }
      assertEquals(threads * 2_000, pins.size());
    } finally {
      pool.shutdownNow();
    }
  }
}
