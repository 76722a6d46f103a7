package dev.tokensink.metrics;

import dev.tokensink.cache.AgentCache;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Profile;
import dev.tokensink.routing.CredentialCheck;
import dev.tokensink.routing.ProfileStatus;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counts cached profiles by state for {@code tokensink_profiles{state}}, with the rules of {@code
 * models status} ({@link ProfileStatus}): {@code ok} (also static API keys), {@code expiring},
 * {@code cooldown}, {@code disabled}, and {@code reauth_required} for every profile that needs a
 * person (a refused refresh, an expired non-refreshable credential, a missing secret).
 *
 * <p>Computed from the cache when scraped: again after the cache changed or a second passed (states
 * also move with time), else reused by the other gauges of the same scrape. Never on the request
 * path.
 */
public final class ProfileStates {
  /** The label values, in output order. */
  public enum State {
    OK,
    EXPIRING,
    COOLDOWN,
    DISABLED,
    REAUTH_REQUIRED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final long MAX_AGE_NANOS = 1_000_000_000L;

  private final AgentCache cache;
  private final CredentialCheck secrets;
  private final Clock clock;
  private Map<State, Long> counts;
  private long countedAt;
  private volatile boolean changed = true;

  /**
   * @param secrets says when a profile's secret (or ref) cannot be resolved: non-null = missing
   */
  public ProfileStates(AgentCache cache, CredentialCheck secrets, Clock clock) {
    this.cache = cache;
    this.secrets = secrets;
    this.clock = clock;
    cache.onUpdate((before, next) -> changed = true);
  }

  public synchronized long count(State state) {
    long t = System.nanoTime();
    if (changed || t - countedAt > MAX_AGE_NANOS) {
      changed = false;
      counts = tally();
      countedAt = t;
    }
    return counts.get(state);
  }

  private Map<State, Long> tally() {
    Map<State, Long> out = new EnumMap<>(State.class);
    for (State s : State.values()) {
      out.put(s, 0L);
    }
    long now = clock.millis();
    for (AgentSnapshot s : cache.snapshots()) {
      for (Profile p : s.profiles().values()) {
        boolean available = secrets.check(p, s.state(), now) == null;
        out.merge(of(ProfileStatus.of(p, s.state(), now, available).kind()), 1L, Long::sum);
      }
    }
    return out;
  }

  static State of(ProfileStatus.Kind kind) {
    return switch (kind) {
      case OK, STATIC -> State.OK;
      case EXPIRING -> State.EXPIRING;
      case COOLDOWN -> State.COOLDOWN;
      case DISABLED -> State.DISABLED;
      case REAUTH_REQUIRED, EXPIRED, MISSING -> State.REAUTH_REQUIRED;
    };
  }
}
