package dev.tokensink.grpc;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open StreamExpiryEvents streams per caller id, bounded so one caller cannot exhaust the service.
 */
public final class StreamLimits {
  private final int maxPerCaller;
  private final ConcurrentHashMap<String, AtomicInteger> open = new ConcurrentHashMap<>();

  public StreamLimits(int maxPerCaller) {
    this.maxPerCaller = maxPerCaller;
  }

  public int max() {
    return maxPerCaller;
  }

  /** Takes a slot for {@code caller}; false when it already holds the maximum. */
  boolean tryAcquire(String caller) {
    AtomicInteger n = open.computeIfAbsent(caller, k -> new AtomicInteger());
    while (true) {
      int now = n.get();
      if (now >= maxPerCaller) {
        return false;
      }
      if (n.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  void release(String caller) {
    AtomicInteger n = open.get(caller);
    if (n != null) {
      n.decrementAndGet();
    }
  }

  /** Streams {@code caller} holds now. */
  public int open(String caller) {
    AtomicInteger n = open.get(caller);
    return n == null ? 0 : n.get();
  }
}
