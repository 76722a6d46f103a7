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
      long waiters) {}

  final AtomicLong endpointCalls = new AtomicLong();
  final AtomicLong refreshed = new AtomicLong();
  final AtomicLong usedStored = new AtomicLong();
  final AtomicLong transientFailures = new AtomicLong();
  final AtomicLong reauthRequired = new AtomicLong();
  final AtomicLong otherFailures = new AtomicLong();
  final AtomicLong flights = new AtomicLong();
  final AtomicLong waiters = new AtomicLong();

  /**
   * {@code endpointCalls}: refresh requests sent; {@code refreshed}: flights that rotated; {@code
   * usedStored}: flights that found a credential another writer had refreshed (no call); {@code
   * flights}: single-flight refreshes started; {@code waiters}: callers that waited on one.
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
        waiters.get());
  }
}
