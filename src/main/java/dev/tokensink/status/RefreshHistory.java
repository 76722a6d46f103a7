package dev.tokensink.status;

import dev.tokensink.events.LifecycleEvent;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProfileId;
import dev.tokensink.refresh.RefreshObserver;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The last refreshes, in memory, for the status page: every refresh flight of this process (mode
 * serve, proactive, force or recover, with its result and duration) and every credential replaced
 * elsewhere that this process learned of through the store's change notification (another replica
 * on PostgreSQL, another process on the same state dir, a login by the CLI), as mode {@code
 * external}. Holds no secret.
 *
 * <p>Thread-safe: flights report on worker threads, events arrive on the event hub's threads; a
 * short monitor guards the ring. Listeners run on the reporting thread and must be quick.
 */
public final class RefreshHistory implements RefreshObserver {
  /** How long after a local flight a REFRESHED event of the same profile counts as that flight. */
  private static final long LOCAL_WINDOW_NS = TimeUnit.SECONDS.toNanos(30);

  /**
   * One refresh.
   *
   * @param seq increasing number, so a page asks only for entries it has not seen
   * @param durationMs null for an external refresh (its duration is known only where it ran)
   */
  public record Entry(
      long seq,
      long atMs,
      AgentId agent,
      ProfileId profile,
      String mode,
      String result,
      Long durationMs,
      String replica) {}

  private final Clock clock;
  private final String replica;
  private final int capacity;
  private final ArrayDeque<Entry> ring;
  private final Map<String, Long> localFlights = new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private long seq;

  public RefreshHistory(Clock clock, String replica, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("history size must be at least 1, not " + capacity);
    }
    this.clock = clock;
    this.replica = replica;
    this.capacity = capacity;
    this.ring = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  public String replica() {
    return replica;
  }

  public int capacity() {
    return capacity;
  }

  @Override
  public void flightDone(String mode, String result, long nanos) {
    // flights without a profile are not reported by the coordinator; nothing to show
  }

  @Override
  public void flightDone(AgentId agent, ProfileId profile, String mode, String result, long nanos) {
    localFlights.put(key(agent, profile), System.nanoTime());
    add(agent, profile, mode, result, TimeUnit.NANOSECONDS.toMillis(nanos), replica);
  }

  /**
   * A REFRESHED event: recorded as an external refresh unless a flight of this process for that
   * profile ended within the last 30 s (the coordinator reports its flight before it publishes).
   */
  public void event(LifecycleEvent e) {
    if (e.type() != LifecycleEvent.Type.REFRESHED) {
      return;
    }
    Long local = localFlights.get(key(e.agent(), e.profileId()));
    if (local != null && System.nanoTime() - local < LOCAL_WINDOW_NS) {
      return;
    }
    add(e.agent(), e.profileId(), "external", "refreshed", null, "elsewhere");
  }

  private void add(
      AgentId agent, ProfileId profile, String mode, String result, Long ms, String where) {
    synchronized (ring) {
      if (ring.size() >= capacity) {
        ring.pollFirst();
      }
      ring.addLast(new Entry(++seq, clock.millis(), agent, profile, mode, result, ms, where));
    }
    for (Runnable l : listeners) {
      l.run();
    }
  }

  /** Entries newer than {@code afterSeq} that pass {@code visible}, oldest first. */
  public List<Entry> since(long afterSeq, Predicate<AgentId> visible) {
    List<Entry> out = new ArrayList<>();
    synchronized (ring) {
      for (Entry e : ring) {
        if (e.seq() > afterSeq && visible.test(e.agent())) {
          out.add(e);
        }
      }
    }
    return out;
  }

  /** The newest sequence number (0 when empty). */
  public long lastSeq() {
    synchronized (ring) {
      return seq;
    }
  }

  /** Called after every new entry, on the thread that added it. */
  public void onAppend(Runnable listener) {
    listeners.add(listener);
  }

  private static String key(AgentId agent, ProfileId profile) {
    return agent.value() + '\u0000' + profile;
  }
}
