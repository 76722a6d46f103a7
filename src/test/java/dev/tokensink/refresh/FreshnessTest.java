package dev.tokensink.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.refresh.Freshness.State;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FreshnessTest {
  static final long EXPIRES = 1_000_000_000L;

  static Stream<Arguments> states() {
    Duration s20 = Duration.ofSeconds(20);
    Duration h1 = Duration.ofHours(1);
    Duration d10 = Duration.ofDays(10);
    return Stream.of(
        // lifetime, time left, state
        Arguments.of(s20, Duration.ofSeconds(20), State.FRESH),
        Arguments.of(s20, Duration.ofSeconds(10), State.FRESH),
        Arguments.of(s20, Duration.ofSeconds(9), State.REFRESH_DUE),
        Arguments.of(s20, Duration.ofSeconds(5), State.REFRESH_DUE),
        Arguments.of(s20, Duration.ofMillis(4999), State.STALE),
        Arguments.of(s20, Duration.ZERO, State.EXPIRED),
        Arguments.of(h1, Duration.ofMinutes(16), State.FRESH),
        Arguments.of(h1, Duration.ofMinutes(14), State.REFRESH_DUE),
        Arguments.of(h1, Duration.ofSeconds(30), State.REFRESH_DUE),
        Arguments.of(h1, Duration.ofSeconds(29), State.STALE),
        Arguments.of(h1, Duration.ofSeconds(-1), State.EXPIRED),
        Arguments.of(d10, Duration.ofDays(9), State.FRESH),
        Arguments.of(d10, Duration.ofMinutes(15).plusMillis(1), State.FRESH),
        Arguments.of(d10, Duration.ofMinutes(15).minusMillis(1), State.REFRESH_DUE),
        Arguments.of(d10, Duration.ofSeconds(29), State.STALE));
  }

  @ParameterizedTest(name = "lifetime {0}, left {1}: {2}")
  @MethodSource("states")
  void state_timeLeft_namedState(Duration lifetime, Duration left, State expected) {
    assertEquals(expected, Freshness.state(EXPIRES, lifetime, EXPIRES - left.toMillis()));
  }

  static Stream<Arguments> margins() {
    return Stream.of(
        Arguments.of(Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofSeconds(10)),
        Arguments.of(Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofMinutes(15)),
        Arguments.of(Duration.ofDays(10), Duration.ofSeconds(30), Duration.ofMinutes(15)));
  }

  @ParameterizedTest(name = "lifetime {0}")
  @MethodSource("margins")
  void marginAndWindow_scaleWithLifetime(Duration lifetime, Duration margin, Duration window) {
    assertEquals(margin, Freshness.servingMargin(lifetime));
    assertEquals(window, Freshness.refreshWindow(lifetime));
  }

  @Test
  void lifetime_prefersExpiresInThenJwtThenOneHour() {
    assertEquals(Duration.ofSeconds(600), Freshness.lifetime(600L, 100L, 200L));
    assertEquals(Duration.ofSeconds(100), Freshness.lifetime(null, 100L, 200L));
    assertEquals(Duration.ofSeconds(100), Freshness.lifetime(0L, 100L, 200L));
    assertEquals(Duration.ofHours(1), Freshness.lifetime(null, 200L, 100L));
    assertEquals(Duration.ofHours(1), Freshness.lifetime(null, null, null));
  }

  @Test
  void refreshAt_jitterWithinTenPercentOfWindow() {
    Duration h1 = Duration.ofHours(1);
    long window = Duration.ofMinutes(15).toMillis();
    assertEquals(EXPIRES - window, Freshness.refreshAt(EXPIRES, h1, () -> 0.0));
    assertEquals(EXPIRES - Math.round(window * 1.1), Freshness.refreshAt(EXPIRES, h1, () -> 1.0));
    assertEquals(EXPIRES - Math.round(window * 0.9), Freshness.refreshAt(EXPIRES, h1, () -> -1.0));
    assertEquals(EXPIRES - Math.round(window * 1.1), Freshness.refreshAt(EXPIRES, h1, () -> 7.0));
  }

  @Test
  void refreshAt_shortLivedToken_neverAfterItTurnsStale() {
    Duration s20 = Duration.ofSeconds(20);
    long at = Freshness.refreshAt(EXPIRES, s20, () -> -1.0);
    assertEquals(EXPIRES - 9_000, at);
    assertTrue(Freshness.servable(EXPIRES, s20, at));
    assertFalse(Freshness.servable(EXPIRES, s20, EXPIRES - 4_000));
  }

  @Test
  void divided_equalsDurationDividedBy_toTheNanosecond() {
    for (java.time.Duration d :
        java.util.List.of(
            java.time.Duration.ZERO,
            java.time.Duration.ofNanos(3),
            java.time.Duration.ofSeconds(1, 999_999_999),
            java.time.Duration.ofSeconds(7, 3),
            java.time.Duration.ofHours(1),
            java.time.Duration.ofSeconds(Long.MAX_VALUE / 3, 123_456_789),
            java.time.Duration.ofSeconds(-5, 1))) {
      for (int n : new int[] {2, 4}) {
        assertEquals(d.dividedBy(n), Freshness.divided(d, n), d + " / " + n);
      }
    }
  }
}
