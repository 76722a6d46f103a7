package dev.tokensink.routing;

import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProviderId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@link Router#choose} needs for one {@code GetCredential}.
 *
 * @param override the parsed override; {@link ProfileOverride#NONE} when absent
 * @param sticky the session's sticky profile, or null
 * @param configuredOrder the configured {@code auth.order} (provider → profile ids)
 * @param env the pseudo-profile {@code provider:env} built from environment variables, if any
 * @param model the model the caller is about to use, or null; a model named in the override wins
 */
public record RouteRequest(
    AgentSnapshot snapshot,
    ProviderId provider,
    ProfileOverride override,
    ProfileId sticky,
    Map<String, List<String>> configuredOrder,
    Optional<Profile> env,
    String model,
    long nowMs) {

  public RouteRequest {
    if (snapshot == null || provider == null) {
      throw new IllegalArgumentException("route request needs a snapshot and a provider");
    }
    override = override == null ? ProfileOverride.NONE : override;
    configuredOrder = configuredOrder == null ? Map.of() : configuredOrder;
    env = env == null ? Optional.empty() : env;
    model = model == null || model.isBlank() ? null : model;
  }

  public static RouteRequest of(AgentSnapshot snapshot, ProviderId provider, long nowMs) {
    return new RouteRequest(snapshot, provider, null, null, null, null, null, nowMs);
  }

  public RouteRequest withOverride(ProfileOverride next) {
    return new RouteRequest(snapshot, provider, next, sticky, configuredOrder, env, model, nowMs);
  }

  public RouteRequest withSticky(ProfileId next) {
    return new RouteRequest(snapshot, provider, override, next, configuredOrder, env, model, nowMs);
  }

  public RouteRequest withConfiguredOrder(Map<String, List<String>> next) {
    return new RouteRequest(snapshot, provider, override, sticky, next, env, model, nowMs);
  }

  public RouteRequest withEnv(Profile next) {
    return new RouteRequest(
        snapshot,
        provider,
        override,
        sticky,
        configuredOrder,
        Optional.ofNullable(next),
        model,
        nowMs);
  }

  public RouteRequest withModel(String next) {
    return new RouteRequest(
        snapshot, provider, override, sticky, configuredOrder, env, next, nowMs);
  }

  /** The model that scopes cooldowns: the override's, else the request's. */
  String effectiveModel() {
    return override.model() != null ? override.model() : model;
  }

  /** A stored profile of this provider, or the env pseudo-profile, by id; null when neither. */
  Profile resolve(ProfileId id) {
    Profile p = snapshot.profile(id);
    if (p != null) {
      return p.provider().equals(provider) ? p : null;
    }
    return env.filter(e -> e.id().equals(id)).orElse(null);
  }
}
