package dev.tokensink.refresh;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of the refresh coordinator for tests and metrics. Thread-safe; read with {@link
 * #snapshot()}.
 */
public final class RefreshCounters {
  /** A point-in-time copy. */
  public record Snapshot(
      long endpointCalls,
      long refreshed,
      long usedStored,
      long transientFailures,
      long reauthRequired,
      long otherFailures,
      long flights,
      long waiters,
      long notSent,
      long answersLost,
      long introspections,
      long callerTimeouts) {}

  final AtomicLong endpointCalls = new AtomicLong();
  final AtomicLong refreshed = new AtomicLong();
  final AtomicLong usedStored = new AtomicLong();
  final AtomicLong transientFailures = new AtomicLong();
  final AtomicLong reauthRequired = new AtomicLong();
  final AtomicLong otherFailures = new AtomicLong();
  final AtomicLong flights = new AtomicLong();
  final AtomicLong waiters = new AtomicLong();
  final AtomicLong notSent = new AtomicLong();
  final AtomicLong answersLost = new AtomicLong();
  final AtomicLong introspections = new AtomicLong();
  final AtomicLong callerTimeouts = new AtomicLong();

  /**
   * {@code endpointCalls}: refresh requests sent; {@code refreshed}: flights that rotated; {@code
   * usedStored}: flights that found a credential another writer had refreshed (no call); {@code
   * flights}: single-flight refreshes started; {@code waiters}: callers that waited on one; {@code
   * notSent}: flights whose request never reached the provider; {@code answersLost}: flights that
   * lost an answer; {@code introspections}: RFC 7662 calls; {@code callerTimeouts}: callers
   * answered after {@code caller-wait} without the flight's result.
   */
  public Snapshot snapshot() {
    return new Snapshot(
        endpointCalls.get(),
        refreshed.get(),
        usedStored.get(),
        transientFailures.get(),
        reauthRequired.get(),
        otherFailures.get(),
        flights.get(),
        waiters.get(),
        notSent.get(),
        answersLost.get(),
        introspections.get(),
        callerTimeouts.get());
  }
}
