package dev.tokensink.refresh;

import java.time.Duration;

/**
 * Tunables of the refresh coordinator (docs/rules.md §2, docs/refresh.md).
 *
 * @param backoffInitial delay after the first failed attempt that may be retried (default 1 s)
 * @param backoffMax cap of the doubling backoff (default 5 min)
 * @param answerTimeout how long a sent refresh waits for its answer ({@code
 *     tokensink.refresh.answer-timeout}, default 120 s); the token client must use the same
 * @param callerWait how long a caller waits on a refresh before it gets the still-valid token or
 *     UNAVAILABLE ({@code tokensink.refresh.caller-wait}, default 5 s)
 */
public record RefreshSettings(
    Duration backoffInitial, Duration backoffMax, Duration answerTimeout, Duration callerWait) {
  public static final RefreshSettings DEFAULTS =
      new RefreshSettings(
          Duration.ofSeconds(1),
          Duration.ofMinutes(5),
          Duration.ofSeconds(120),
          Duration.ofSeconds(5));

  public RefreshSettings {
    backoffInitial = backoffInitial == null ? Duration.ofSeconds(1) : backoffInitial;
    backoffMax = backoffMax == null ? Duration.ofMinutes(5) : backoffMax;
    answerTimeout = answerTimeout == null ? Duration.ofSeconds(120) : answerTimeout;
    callerWait = callerWait == null ? Duration.ofSeconds(5) : callerWait;
    for (Duration d : new Duration[] {backoffInitial, backoffMax, answerTimeout, callerWait}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("refresh durations must be positive");
      }
    }
  }

  /** The defaults with this answer timeout and caller wait. */
  public static RefreshSettings of(Duration answerTimeout, Duration callerWait) {
    return new RefreshSettings(null, null, answerTimeout, callerWait);
  }

  /**
   * How long a refresh waits for another process's or replica's refresh of the same profile to end:
   * its whole answer timeout, plus time for its writes and, after a lost answer, an introspection
   * call.
   */
  Duration leaseWait() {
    return answerTimeout.multipliedBy(2).plusSeconds(10);
  }
}
