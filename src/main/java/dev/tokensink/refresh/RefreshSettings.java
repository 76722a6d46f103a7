package dev.tokensink.refresh;

import java.time.Duration;

/**
 * Tunables of the refresh coordinator (docs/rules.md §2, docs/refresh.md).
 *
 * @param backoffInitial delay after the first failed attempt that may be retried (default 1 s)
 * @param backoffMax cap of the doubling backoff (default 5 min)
 * @param proactiveMaxInFlight proactive refreshes (token-endpoint calls) running at once, at most
 *     (default 16; a caller's own refresh is never held back by it)
 * @param proactivePerSecond proactive refreshes started in one second, at most (default 200)
 * @param answerTimeout how long a sent refresh waits for its answer ({@code
 *     tokensink.refresh.answer-timeout}, default 120 s); the token client must use the same
 * @param callerWait how long a caller waits on a refresh before it gets the still-valid token or
 *     UNAVAILABLE ({@code tokensink.refresh.caller-wait}, default 5 s)
 */
public record RefreshSettings(
    Duration backoffInitial,
    Duration backoffMax,
    int proactiveMaxInFlight,
    int proactivePerSecond,
    Duration answerTimeout,
    Duration callerWait) {
  public static final int DEFAULT_MAX_IN_FLIGHT = 16;
  public static final int DEFAULT_PER_SECOND = 200;
  public static final Duration DEFAULT_ANSWER_TIMEOUT = Duration.ofSeconds(120);
  public static final Duration DEFAULT_CALLER_WAIT = Duration.ofSeconds(5);

  public static final RefreshSettings DEFAULTS =
      new RefreshSettings(
          Duration.ofSeconds(1),
          Duration.ofMinutes(5),
          DEFAULT_MAX_IN_FLIGHT,
          DEFAULT_PER_SECOND,
          DEFAULT_ANSWER_TIMEOUT,
          DEFAULT_CALLER_WAIT);

  public RefreshSettings {
    backoffInitial = backoffInitial == null ? Duration.ofSeconds(1) : backoffInitial;
    backoffMax = backoffMax == null ? Duration.ofMinutes(5) : backoffMax;
    answerTimeout = answerTimeout == null ? DEFAULT_ANSWER_TIMEOUT : answerTimeout;
    callerWait = callerWait == null ? DEFAULT_CALLER_WAIT : callerWait;
    if (proactiveMaxInFlight < 1 || proactivePerSecond < 1) {
      throw new IllegalArgumentException(
          "tokensink.refresh.max-in-flight and tokensink.refresh.max-per-second must be at least 1");
    }
    for (Duration d : new Duration[] {backoffInitial, backoffMax, answerTimeout, callerWait}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("refresh durations must be longer than zero");
      }
    }
  }

  /** Backoff only; the other bounds keep their defaults. */
  public RefreshSettings(Duration backoffInitial, Duration backoffMax) {
    this(
        backoffInitial,
        backoffMax,
        DEFAULT_MAX_IN_FLIGHT,
        DEFAULT_PER_SECOND,
        DEFAULT_ANSWER_TIMEOUT,
        DEFAULT_CALLER_WAIT);
  }

  /** Backoff and proactive bounds; answer timeout and caller wait keep their defaults. */
  public RefreshSettings(
      Duration backoffInitial,
      Duration backoffMax,
      int proactiveMaxInFlight,
      int proactivePerSecond) {
    this(
        backoffInitial,
        backoffMax,
        proactiveMaxInFlight,
        proactivePerSecond,
        DEFAULT_ANSWER_TIMEOUT,
        DEFAULT_CALLER_WAIT);
  }

  /** The same settings with this answer timeout and caller wait. */
  public RefreshSettings withWaits(Duration answerTimeout, Duration callerWait) {
    return new RefreshSettings(
        backoffInitial,
        backoffMax,
        proactiveMaxInFlight,
        proactivePerSecond,
        answerTimeout,
        callerWait);
  }

  /** The defaults with this answer timeout and caller wait. */
  public static RefreshSettings of(Duration answerTimeout, Duration callerWait) {
    return DEFAULTS.withWaits(answerTimeout, callerWait);
  }

  /**
   * How long a refresh waits for another process's or replica's refresh of the same profile to end:
   * its whole answer timeout, plus time for its writes and, after a lost answer, an introspection
   * call and one more answer.
   */
  Duration leaseWait() {
    return answerTimeout.multipliedBy(2).plusSeconds(10);
  }
}
