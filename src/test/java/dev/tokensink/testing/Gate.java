package dev.tokensink.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gate a fake server's handler waits at until the test opens it. The test can wait until a given
 * number of requests have arrived at the gate, so it knows they are parked (no sleeps needed).
 */
public final class Gate {
  private final CountDownLatch open = new CountDownLatch(1);
  private final AtomicInteger arrived = new AtomicInteger();
  private final Object monitor = new Object();

  /** Called by the server thread: records the arrival, then blocks until {@link #open()}. */
  public void pass() {
    synchronized (monitor) {
      arrived.incrementAndGet();
      monitor.notifyAll();
    }
    try {
      open.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Blocks until at least {@code n} requests are parked at the gate; false on timeout. */
  public boolean awaitArrivals(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      while (arrived.get() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(monitor, left);
      }
      return true;
    }
  }

  public int arrivals() {
    return arrived.get();
  }

  public void open() {
    open.countDown();
  }

  public boolean isOpen() {
    return open.getCount() == 0;
  }
}
