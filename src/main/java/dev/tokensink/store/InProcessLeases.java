package dev.tokensink.store;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Refresh leases among the threads of this JVM, keyed by any string (a lock file path and a
 * profile, or a store and a profile). A semaphore, not a lock: the lease is not tied to a thread.
 * Thread-safe.
 */
public final class InProcessLeases {
  private static final ConcurrentHashMap<String, Semaphore> LEASES = new ConcurrentHashMap<>();

  private InProcessLeases() {}

  /** The in-process lease of {@code key}, waiting at most {@code wait}; empty when still held. */
  public static Optional<RefreshLease> acquire(String key, Duration wait) {
    Semaphore s = LEASES.computeIfAbsent(key, k -> new Semaphore(1));
    try {
      if (!s.tryAcquire(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS)) {
        return Optional.empty();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    return Optional.of(new Once(s::release));
  }

  /** Runs its release once, however often it is closed. */
  static final class Once implements RefreshLease {
    private final Runnable release;
    private boolean closed;

    Once(Runnable release) {
      this.release = release;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        release.run();
      }
    }
  }
}
