package dev.tokensink.events;

import io.smallrye.mutiny.subscription.MultiEmitter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One subscriber's bounded queue between publishers and its Mutiny emitter.
 *
 * <p>Concurrency contract: {@link #offer} may be called from any thread and never blocks beyond a
 * short monitor on the queue; when the queue is full the oldest event is dropped (counted).
 * Delivery runs on the hub's executor, one drain at a time per mailbox (the {@code wip} counter),
 * and only as many events as the subscriber requested, so a slow subscriber only loses its own old
 * events and never stalls publishers or other subscribers. Subscribers must not block in their item
 * callback.
 */
final class Mailbox {
  private static final int BATCH = 64;

  final EventFilter filter;
  final Duration leadTime;

  /** Expiry keys already sent as initial state, so the ticker does not repeat them. */
  final Set<ExpiryKey> sentAtSubscribe;

  private final ArrayDeque<LifecycleEvent> queue = new ArrayDeque<>();
  private final int capacity;
  private final Executor executor;
  private final MultiEmitter<? super LifecycleEvent> emitter;
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();

  Mailbox(
      EventFilter filter,
      Duration leadTime,
      Set<ExpiryKey> sentAtSubscribe,
      int capacity,
      Executor executor,
      MultiEmitter<? super LifecycleEvent> emitter) {
    this.filter = filter;
    this.leadTime = leadTime;
    this.sentAtSubscribe = sentAtSubscribe;
    this.capacity = capacity;
    this.executor = executor;
    this.emitter = emitter;
  }

  void offer(LifecycleEvent e) {
    synchronized (queue) {
      if (queue.size() >= capacity) {
        queue.pollFirst();
        dropped.incrementAndGet();
      }
      queue.addLast(e);
    }
    schedule();
  }

  /** Puts the initial state before any live event that arrived while it was computed. */
  void offerFirst(List<LifecycleEvent> events) {
    synchronized (queue) {
      for (int i = events.size() - 1; i >= 0; i--) {
        queue.addFirst(events.get(i));
      }
      while (queue.size() > capacity) {
        queue.pollFirst();
        dropped.incrementAndGet();
      }
    }
    schedule();
  }

  long dropped() {
    return dropped.get();
  }

  void schedule() {
    if (wip.getAndIncrement() == 0) {
      executor.execute(this::drain);
    }
  }

  private void drain() {
    int missed = 1;
    int sent = 0;
    do {
      while (!emitter.isCancelled() && emitter.requested() > 0) {
        LifecycleEvent e;
        synchronized (queue) {
          e = queue.pollFirst();
        }
        if (e == null) {
          break;
        }
        emitter.emit(e);
        if (++sent >= BATCH) {
          // Fairness on a shared executor: give the thread back, continue in a new task.
          wip.set(1);
          executor.execute(this::drain);
          return;
        }
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }
}
