package dev.tokensink.events;

import dev.tokensink.events.LifecycleEvent.Type;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.ProfileId;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The one hot stream of lifecycle events, fanned out to filtered subscribers.
 *
 * <p>Concurrency contract: {@link #publish} and {@link #tick} may be called from any thread, never
 * block on a subscriber and cost O(subscribers) queue offers; each subscriber has a bounded {@link
 * Mailbox} drained on the injected executor. There are no per-subscriber timers or threads:
 * EXPIRING / EXPIRED come from {@link #tick}, which the scheduler calls (e.g. once a second) with
 * the cached snapshots. {@code tick} calls are expected from one scheduler thread at a time.
 *
 * <p>{@code REFRESHED} and {@code REAUTH_REQUIRED} are published once per credential generation:
 * the refresh coordinator and the {@link ChangeDetector} may both report the same change.
 */
public final class EventHub {
  public static final int DEFAULT_BUFFER = 256;

  private final Clock clock;
  private final Executor delivery;
  private final int buffer;
  private final Set<Mailbox> subscribers = ConcurrentHashMap.newKeySet();
  private final Map<StateKey, Instant> lastState = new ConcurrentHashMap<>();
  private final ExpiryTracker tracker = new ExpiryTracker();
  private final CooldownWindows windows;

  private record StateKey(AgentId agent, ProfileId profile, Type type) {}

  public EventHub(Clock clock, Executor delivery, int bufferPerSubscriber) {
    this.clock = clock;
    this.delivery = delivery;
    this.buffer = bufferPerSubscriber;
    this.windows = new CooldownWindows(clock.millis());
  }

  /**
   * Publishes COOLDOWN_STARTED / COOLDOWN_ENDED for the windows that appeared or were cleared
   * between two snapshots of one agent (any writer: this process, another process, a replica).
   */
  public void windowsChanged(AgentSnapshot previous, AgentSnapshot next) {
    windows.changed(previous, next, clock.instant()).forEach(this::publish);
  }

  public void publish(LifecycleEvent e) {
    if (e.type() == Type.REFRESHED || e.type() == Type.REAUTH_REQUIRED) {
      StateKey k = new StateKey(e.agent(), e.profileId(), e.type());
      Instant marker = e.expiresAt() == null ? Instant.EPOCH : e.expiresAt();
      if (Objects.equals(lastState.put(k, marker), marker)) {
        return;
      }
    }
    for (Mailbox m : subscribers) {
      if (m.filter.matches(e)) {
        m.offer(e);
      }
    }
  }

  /**
   * A stream of the current state of matching profiles (see {@link CurrentState}), then live
   * events. Cancelling the subscription unregisters it.
   */
  public Multi<LifecycleEvent> subscribe(
      EventFilter filter, Duration leadTime, Supplier<Collection<AgentSnapshot>> current) {
    return Multi.createFrom()
        .emitter(
            em -> {
              Set<ExpiryKey> sent = ConcurrentHashMap.newKeySet();
              Mailbox m = new Mailbox(filter, leadTime, sent, buffer, delivery, em);
              // Register before reading the current state, so no live event falls between the two;
              // a change seen in both arrives twice, never zero times.
              subscribers.add(m);
              em.onTermination(() -> subscribers.remove(m));
              em.onRequest(n -> m.schedule());
              List<LifecycleEvent> initial = new ArrayList<>();
              CurrentState.events(current.get(), filter, leadTime, clock.instant(), initial, sent);
              m.offerFirst(initial);
            },
            BackPressureStrategy.BUFFER);
  }

  public int subscriberCount() {
    return subscribers.size();
  }

  /** Events lost by slow subscribers (oldest dropped), summed. */
  public long droppedEvents() {
    return subscribers.stream().mapToLong(Mailbox::dropped).sum();
  }

  /**
   * Emits COOLDOWN_ENDED once per window whose end passed, EXPIRING once per (profile, expiry, lead
   * time) to the subscribers with that lead time, and EXPIRED once per (profile, expiry) when a
   * credential passes its expiry without being replaced.
   */
  public void tick(Collection<AgentSnapshot> snapshots) {
    Instant now = clock.instant();
    windows.due(snapshots, now).forEach(this::publish);
    Map<Duration, List<Mailbox>> byLead = new java.util.HashMap<>();
    for (Mailbox m : subscribers) {
      byLead.computeIfAbsent(m.leadTime, k -> new ArrayList<>()).add(m);
    }
    Set<Duration> leads = new HashSet<>(byLead.keySet());
    for (ExpiryTracker.Due due : tracker.due(snapshots, leads, now)) {
      LifecycleEvent e = due.event();
      if (e.type() == Type.EXPIRED) {
        publish(e);
        continue;
      }
      for (Mailbox m : byLead.getOrDefault(due.leadTime(), List.of())) {
        if (m.filter.matches(e) && !m.sentAtSubscribe.contains(due.key())) {
          m.offer(e);
        }
      }
    }
  }
}
