package dev.tokensink.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything stored for one agent at one moment: profiles (in file order), the agent's own {@code
 * order} per provider, runtime state, and unknown top-level fields of auth-profiles.json.
 * Immutable; {@code with…} methods return the next snapshot for a store update.
 */
public record AgentSnapshot(
    AgentId agent,
    Map<ProfileId, Profile> profiles,
    Map<String, List<ProfileId>> order,
    AuthState state,
    Map<String, JsonNode> extra) {

  public AgentSnapshot {
    Objects.requireNonNull(agent, "agent");
    profiles =
        profiles == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
    Map<String, List<ProfileId>> o = new LinkedHashMap<>();
    if (order != null) {
      order.forEach((k, v) -> o.put(k, List.copyOf(v)));
    }
    order = Collections.unmodifiableMap(o);
    state = state == null ? AuthState.EMPTY : state;
    extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
  }

  public static AgentSnapshot empty(AgentId agent) {
    return new AgentSnapshot(agent, Map.of(), Map.of(), AuthState.EMPTY, Map.of());
  }

  public Profile profile(ProfileId id) {
    return profiles.get(id);
  }

  public List<Profile> profilesOf(ProviderId provider) {
    // a loop, not a stream: called on every GetCredential
    List<Profile> out = new java.util.ArrayList<>();
    for (Profile p : profiles.values()) {
      if (p.provider().equals(provider)) {
        out.add(p);
      }
    }
    return java.util.Collections.unmodifiableList(out);
  }

  public AgentSnapshot withProfile(Profile p) {
    Map<ProfileId, Profile> next = new LinkedHashMap<>(profiles);
    next.put(p.id(), p);
    return new AgentSnapshot(agent, next, order, state, extra);
  }

  /** Removes a profile together with its order entries and state (logout). */
  public AgentSnapshot withoutProfile(ProfileId id) {
    Map<ProfileId, Profile> next = new LinkedHashMap<>(profiles);
    next.remove(id);
    Map<String, List<ProfileId>> nextOrder = new LinkedHashMap<>();
    order.forEach(
        (k, v) -> {
          List<ProfileId> kept = v.stream().filter(x -> !x.equals(id)).toList();
          if (!kept.isEmpty()) {
            nextOrder.put(k, kept);
          }
        });
    return new AgentSnapshot(agent, next, nextOrder, state.without(id), extra);
  }

  public AgentSnapshot withOrder(String provider, List<ProfileId> ids) {
    Map<String, List<ProfileId>> next = new LinkedHashMap<>(order);
    if (ids == null || ids.isEmpty()) {
      next.remove(provider);
    } else {
      next.put(provider, ids);
    }
    return new AgentSnapshot(agent, profiles, next, state, extra);
  }

  public AgentSnapshot withState(AuthState next) {
    return new AgentSnapshot(agent, profiles, order, next, extra);
  }

  @Override
  public String toString() {
    return "AgentSnapshot[" + agent + ", profiles=" + profiles.keySet() + "]";
  }
}
