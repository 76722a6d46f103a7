package dev.tokensink.replicas;

import dev.tokensink.api.v1.ExpiryEvent;
import dev.tokensink.api.v1.StreamExpiryEventsRequest;
import dev.tokensink.testing.ReplicaProcess;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A StreamExpiryEvents subscriber on one replica that records when each REFRESHED event arrived
 * (test JVM's monotonic clock), keyed by the new expiry, so that the same rotation can be matched
 * across replicas. A rotation may be announced twice by the replica that did it (cache change and
 * refresh result); the first arrival counts.
 */
final class EventLog implements StreamObserver<ExpiryEvent> {
  final Map<Long, Long> refreshedAtNanos = new ConcurrentHashMap<>();
  final AtomicReference<Throwable> error = new AtomicReference<>();

  /** Every event, in order of arrival. */
  final List<ExpiryEvent> all = new CopyOnWriteArrayList<>();

  /** Counted down by the first event of any type: the subscription is live. */
  final CountDownLatch live = new CountDownLatch(1);

  private final Context.CancellableContext context = Context.current().withCancellation();

  /**
   * Subscribes with a lead time of two days, so a profile that expires within a day ({@link
   * ReplicaFixture#seedMarker}) is reported at once and {@link #live} opens.
   */
  static EventLog follow(ReplicaProcess replica) {
    return follow(replica, ReplicaFixture.AGENT);
  }

  static EventLog follow(ReplicaProcess replica, dev.tokensink.model.AgentId agent) {
    EventLog log = new EventLog();
    log.context.run(
        () ->
            replica
                .async()
                .streamExpiryEvents(
                    StreamExpiryEventsRequest.newBuilder()
                        .setAgent(agent.value())
                        .setLeadTime(
                            com.google.protobuf.Duration.newBuilder().setSeconds(2 * 86400))
                        .build(),
                    log));
    return log;
  }

  /**
   * Waits until {@code replica}'s cache holds an expired profile of {@code agent}: a new
   * subscription then starts with its EXPIRED state (read from the cache, no refresh, no store
   * access).
   */
  static void awaitCachedExpired(
      ReplicaProcess replica, dev.tokensink.model.AgentId agent, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      EventLog probe = follow(replica, agent);
      try {
        if (probe.live.await(300, TimeUnit.MILLISECONDS)
            && probe.all.stream().anyMatch(e -> e.getType() == ExpiryEvent.Type.EXPIRED)) {
          return;
        }
      } finally {
        probe.cancel();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(replica + " did not load agent " + agent + " within " + timeout);
      }
    }
  }

  void awaitLive() throws InterruptedException {
    if (!live.await(20, TimeUnit.SECONDS)) {
      throw new AssertionError("event stream not live within 20 s", error.get());
    }
  }

  @Override
  public void onNext(ExpiryEvent e) {
    all.add(e);
    live.countDown();
    if (e.getType() == ExpiryEvent.Type.REFRESHED) {
      long expires = e.getExpiresAt().getSeconds() * 1000 + e.getExpiresAt().getNanos() / 1_000_000;
      refreshedAtNanos.putIfAbsent(expires, System.nanoTime());
    }
    synchronized (this) {
      notifyAll();
    }
  }

  /** Waits (woken by each arriving event) until an event of this type for this profile arrived. */
  synchronized void await(ExpiryEvent.Type type, String profileId, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (all.stream().noneMatch(e -> e.getType() == type && e.getProfileId().equals(profileId))) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "no " + type + " for " + profileId + " within " + timeout + "; got " + all,
            error.get());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Waits until {@code n} events of this type for this profile arrived. */
  synchronized void awaitCount(ExpiryEvent.Type type, String profileId, int n, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count(type, profileId) < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "not " + n + " " + type + " for " + profileId + " within " + timeout + "; got " + all,
            error.get());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** How many events of this type for this profile arrived so far. */
  synchronized long count(ExpiryEvent.Type type, String profileId) {
    return all.stream()
        .filter(e -> e.getType() == type && e.getProfileId().equals(profileId))
        .count();
  }

  @Override
  public void onError(Throwable t) {
    error.compareAndSet(null, t);
  }

  @Override
  public void onCompleted() {
    error.compareAndSet(null, new IllegalStateException("stream completed"));
  }

  void cancel() {
    context.cancel(null);
  }
}
