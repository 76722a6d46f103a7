package dev.tokensink.routing;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProviderId;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Session stickiness: session id → profile per (agent, provider), bounded and idle-expiring.
 *
 * <p>Concurrency: entries are spread over stripes by key hash; each stripe is an access-ordered
 * {@link LinkedHashMap} guarded by its own monitor, held only for one O(1) map operation, so the
 * hot path never waits on a global lock. Each stripe holds at most {@code maxEntries / stripes}
 * entries (at least one) and evicts its least recently used entry beyond that; the total bound is
 * therefore approximate LRU across stripes. Idle entries expire lazily: a lookup treats an entry
 * older than the TTL as absent and drops it, and each write drops expired entries from the stripe's
 * old end, so no background thread is needed.
 */
public final class SessionPins {
  private static final int DEFAULT_STRIPES = 16;

  private record Key(AgentId agent, ProviderId provider, String session) {}

  private static final class Entry {
    final ProfileId profile;
    long lastAccess;

    Entry(ProfileId profile, long lastAccess) {
      this.profile = profile;
      this.lastAccess = lastAccess;
    }
  }

  private final Clock clock;
  private final long ttlMs;
  private final Stripe[] stripes;

  public SessionPins(Clock clock, int maxEntries, Duration idleTtl) {
    this(clock, maxEntries, idleTtl, DEFAULT_STRIPES);
  }

  /**
   * @param stripes lock stripes; 1 gives exact LRU over {@code maxEntries} (tests)
   */
  public SessionPins(Clock clock, int maxEntries, Duration idleTtl, int stripes) {
    if (maxEntries < 1 || stripes < 1 || idleTtl.isNegative() || idleTtl.isZero()) {
      throw new IllegalArgumentException(
          "session pins need maxEntries >= 1, stripes >= 1 and a positive TTL");
    }
    this.clock = clock;
    this.ttlMs = idleTtl.toMillis();
    this.stripes = new Stripe[stripes];
    for (int i = 0; i < stripes; i++) {
      this.stripes[i] = new Stripe(Math.max(1, maxEntries / stripes));
    }
  }

  /** The session's profile if set and not idle for longer than the TTL; a hit renews it. */
  public Optional<ProfileId> get(AgentId agent, ProviderId provider, String session) {
    if (session == null || session.isEmpty()) {
      return Optional.empty();
    }
    Key key = new Key(agent, provider, session);
    long now = clock.millis();
    Stripe s = stripe(key);
    synchronized (s) {
      Entry e = s.map.get(key);
      if (e == null) {
        return Optional.empty();
      }
      if (now - e.lastAccess >= ttlMs) {
        s.map.remove(key);
        return Optional.empty();
      }
      e.lastAccess = now;
      return Optional.of(e.profile);
    }
  }

  /** Pins the session to a profile (after a successful choice). A blank session id is ignored. */
  public void put(AgentId agent, ProviderId provider, String session, ProfileId profile) {
    if (session == null || session.isEmpty()) {
      return;
    }
    Key key = new Key(agent, provider, session);
    long now = clock.millis();
    Stripe s = stripe(key);
    synchronized (s) {
      s.map.put(key, new Entry(profile, now));
      s.dropExpired(now, ttlMs);
    }
  }

  public void remove(AgentId agent, ProviderId provider, String session) {
    Key key = new Key(agent, provider, session);
    Stripe s = stripe(key);
    synchronized (s) {
      s.map.remove(key);
    }
  }

  /** Entries currently held, including idle ones not yet dropped. */
  public int size() {
    int n = 0;
    for (Stripe s : stripes) {
      synchronized (s) {
        n += s.map.size();
      }
    }
    return n;
  }

  private Stripe stripe(Key key) {
    return stripes[Math.floorMod(key.hashCode(), stripes.length)];
  }

  private static final class Stripe {
    final Map<Key, Entry> map;

    Stripe(int capacity) {
      this.map =
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
              return size() > capacity;
            }
          };
    }

    /** Access order puts the idlest first, so the scan stops at the first live entry. */
    void dropExpired(long now, long ttlMs) {
      var it = map.values().iterator();
      while (it.hasNext() && now - it.next().lastAccess >= ttlMs) {
        it.remove();
      }
    }
  }
}
