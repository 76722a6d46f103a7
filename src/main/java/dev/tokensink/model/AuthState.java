package dev.tokensink.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runtime state of one agent ({@code auth-state.json}): last good profile per provider, usage
 * stats, profiles needing re-auth and "refresh in flight since" markers (docs/rules.md §2).
 */
public record AuthState(
    Map<String, ProfileId> lastGood,
    Map<ProfileId, UsageStats> usageStats,
    Map<ProfileId, ReauthMark> reauth,
    Map<ProfileId, Long> refreshInFlight,
    Map<String, JsonNode> extra) {

  public static final AuthState EMPTY =
      new AuthState(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

  public AuthState {
    lastGood = copy(lastGood);
    usageStats = copy(usageStats);
    reauth = copy(reauth);
    refreshInFlight = copy(refreshInFlight);
    extra = copy(extra);
  }

  private static <K, V> Map<K, V> copy(Map<K, V> m) {
    return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  public UsageStats usage(ProfileId id) {
    return usageStats.getOrDefault(id, UsageStats.EMPTY);
  }

  public AuthState withUsage(ProfileId id, UsageStats stats) {
    Map<ProfileId, UsageStats> next = new LinkedHashMap<>(usageStats);
    if (stats == null) {
      next.remove(id);
    } else {
      next.put(id, stats);
    }
    return new AuthState(lastGood, next, reauth, refreshInFlight, extra);
  }

  public AuthState withReauth(ProfileId id, ReauthMark mark) {
    Map<ProfileId, ReauthMark> next = new LinkedHashMap<>(reauth);
    if (mark == null) {
      next.remove(id);
    } else {
      next.put(id, mark);
    }
    return new AuthState(lastGood, usageStats, next, refreshInFlight, extra);
  }

  public AuthState withRefreshInFlight(ProfileId id, Long since) {
    Map<ProfileId, Long> next = new LinkedHashMap<>(refreshInFlight);
    if (since == null) {
      next.remove(id);
    } else {
      next.put(id, since);
    }
    return new AuthState(lastGood, usageStats, reauth, next, extra);
  }

  public AuthState withLastGood(String provider, ProfileId id) {
    Map<String, ProfileId> next = new LinkedHashMap<>(lastGood);
    if (id == null) {
      next.remove(provider);
    } else {
      next.put(provider, id);
    }
    return new AuthState(next, usageStats, reauth, refreshInFlight, extra);
  }

  /** Everything this state holds about one profile, dropped (logout). */
  public AuthState without(ProfileId id) {
    AuthState s = withUsage(id, null).withReauth(id, null).withRefreshInFlight(id, null);
    Map<String, ProfileId> good = new LinkedHashMap<>(s.lastGood);
    good.values().removeIf(id::equals);
    return new AuthState(good, s.usageStats, s.reauth, s.refreshInFlight, s.extra);
  }
}
