package dev.tokensink.refresh;

import dev.tokensink.model.Profile;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Paces the proactive refreshes (docs/rules.md §2) so that a fleet whose tokens expire together
 * does not hit the token endpoint together: at most {@code maxInFlight} proactive refreshes run at
 * once and at most {@code perSecond} start in one second of the clock. The scheduler tick hands
 * over the profiles due now, earliest refresh moment first ({@link #offer}); they start as the
 * bounds allow, each finished refresh starting the next, and the rest wait for the next tick (which
 * replaces the backlog with a fresh scan, so nothing is started from stale data: every refresh
 * re-reads its profile under the agent's lock anyway).
 *
 * <p>Only proactive refreshes are paced: a caller that needs a refresh (a credential inside its
 * serving margin, a forced refresh after AUTH_FAILED) never queues behind the fleet.
 *
 * <p>Thread-safe: {@link #offer} is called by the scheduler thread, completions arrive on worker
 * threads; flights are started under this object's monitor, which is held only to start them
 * (starting a flight hands it to the worker executor and never blocks).
 */
final class ProactivePacer {
  private final int maxInFlight;
  private final int perSecond;
  private final Clock clock;
  private final Function<ProfileKey, CompletableFuture<Profile>> start;
  private final Set<ProfileKey> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicInteger maxSeen = new AtomicInteger();

  // guarded by this
  private List<ProfileKey> backlog = List.of();
  private int next;
  private long second = Long.MIN_VALUE;
  private int startedThisSecond;

  ProactivePacer(
      int maxInFlight,
      int perSecond,
      Clock clock,
      Function<ProfileKey, CompletableFuture<Profile>> start) {
    if (maxInFlight < 1 || perSecond < 1) {
      throw new IllegalArgumentException(
          "proactive refresh bounds must be at least 1 (max in flight "
              + maxInFlight
              + ", per second "
              + perSecond
              + ")");
    }
    this.maxInFlight = maxInFlight;
    this.perSecond = perSecond;
    this.clock = clock;
    this.start = start;
  }

  /**
   * Replaces the backlog with {@code due} (earliest first) and starts what the bounds allow now;
   * returns the flights started by this call.
   */
  synchronized List<CompletableFuture<Profile>> offer(List<ProfileKey> due) {
    backlog = due;
    next = 0;
    List<CompletableFuture<Profile>> started = new ArrayList<>();
    startDue(started);
    return started;
  }

  /** Proactive refreshes running now. */
  int inFlight() {
    return inFlight.size();
  }

  /** The most proactive refreshes that ever ran at once. */
  int maxInFlightSeen() {
    return maxSeen.get();
  }

  /** Profiles due but not started yet (waiting for a slot or the next second). */
  synchronized int waiting() {
    return backlog.size() - next;
  }

  private synchronized void finished(ProfileKey key) {
    inFlight.remove(key);
    startDue(null);
  }

  private void startDue(List<CompletableFuture<Profile>> sink) {
    List<ProfileKey> b = backlog;
    long s = Math.floorDiv(clock.millis(), 1000);
    if (s != second) {
      second = s;
      startedThisSecond = 0;
    }
    while (next < b.size() && inFlight.size() < maxInFlight && startedThisSecond < perSecond) {
      ProfileKey key = b.get(next++);
      if (!inFlight.add(key)) {
        continue;
      }
      maxSeen.accumulateAndGet(inFlight.size(), Math::max);
      startedThisSecond++;
      CompletableFuture<Profile> f;
      try {
        f = start.apply(key);
      } catch (RuntimeException e) {
        inFlight.remove(key);
        continue;
      }
      if (sink != null) {
        sink.add(f);
      }
      if (f.isDone()) {
        inFlight.remove(key);
      } else {
        f.whenComplete((p, e) -> finished(key));
      }
    }
  }
}
