package dev.tokensink.refresh;

import java.time.Duration;

/**
 * Tunables of the refresh coordinator.
 *
 * @param backoffInitial delay after the first transient token-endpoint failure (default 1 s)
 * @param backoffMax cap of the doubling backoff (default 5 min)
 * @param proactiveMaxInFlight proactive refreshes (token-endpoint calls) running at once, at most
 *     (default 16; a caller's own refresh is never held back by it)
 * @param proactivePerSecond proactive refreshes started in one second, at most (default 200)
 */
public record RefreshSettings(
    Duration backoffInitial,
    Duration backoffMax,
    int proactiveMaxInFlight,
    int proactivePerSecond) {
  public static final int DEFAULT_MAX_IN_FLIGHT = 16;
  public static final int DEFAULT_PER_SECOND = 200;

  public static final RefreshSettings DEFAULTS =
      new RefreshSettings(
          Duration.ofSeconds(1), Duration.ofMinutes(5), DEFAULT_MAX_IN_FLIGHT, DEFAULT_PER_SECOND);

  public RefreshSettings {
    backoffInitial = backoffInitial == null ? Duration.ofSeconds(1) : backoffInitial;
    backoffMax = backoffMax == null ? Duration.ofMinutes(5) : backoffMax;
    if (proactiveMaxInFlight < 1 || proactivePerSecond < 1) {
      throw new IllegalArgumentException(
          "tokensink.refresh.max-in-flight and tokensink.refresh.max-per-second must be at least 1");
    }
  }

  /** Backoff only; the proactive bounds keep their defaults. */
  public RefreshSettings(Duration backoffInitial, Duration backoffMax) {
    this(backoffInitial, backoffMax, DEFAULT_MAX_IN_FLIGHT, DEFAULT_PER_SECOND);
  }
}
