package dev.tokensink.routing;

import dev.tokensink.model.InvalidIdException;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The candidate list of docs/rules.md §3 sources 3–6, before usability: the first non-empty of the
 * agent's order, the configured order, and the default sort.
 *
 * <p>An explicit order is the complete candidate list (that is how a user leaves a profile out); it
 * may name {@code provider:env}. Ids that do not exist, are malformed, or belong to another
 * provider are ignored; an order with nothing left counts as empty. Without an explicit order,
 * every stored profile of the provider is sorted (oauth, token, api_key; then least recently used
 * first, never used first; then id) and the env pseudo-profile comes last, as the final fallback.
 */
final class CandidateOrder {

  /** The candidates and the source that produced them. */
  record Ordered(Source source, List<Profile> profiles) {}

  private CandidateOrder() {}

  static Ordered of(RouteRequest r) {
    String key = r.provider().value();
    List<Profile> agent =
        resolve(
            r,
            r.snapshot().order().getOrDefault(key, List.of()).stream()
                .map(ProfileId::toString)
                .toList());
    if (!agent.isEmpty()) {
      return new Ordered(Source.AGENT_ORDER, agent);
    }
    List<Profile> configured = resolve(r, r.configuredOrder().getOrDefault(key, List.of()));
    if (!configured.isEmpty()) {
      return new Ordered(Source.CONFIG_ORDER, configured);
    }
    List<Profile> all = new ArrayList<>(r.snapshot().profilesOf(r.provider()));
    all.sort(
        Comparator.comparing((Profile p) -> p.type().ordinal())
            .thenComparingLong(p -> lastUsed(r, p))
            .thenComparing(Profile::id));
    Optional<Profile> env = r.env().filter(e -> r.snapshot().profile(e.id()) == null);
    env.ifPresent(all::add);
    return new Ordered(Source.DEFAULT, all);
  }

  private static long lastUsed(RouteRequest r, Profile p) {
    Long at = r.snapshot().state().usage(p.id()).lastUsed();
    return at == null ? Long.MIN_VALUE : at;
  }

  private static List<Profile> resolve(RouteRequest r, List<String> ids) {
    Map<ProfileId, Profile> out = new LinkedHashMap<>();
    for (String text : ids) {
      try {
        Profile p = r.resolve(ProfileId.parse(text));
        if (p != null) {
          out.putIfAbsent(p.id(), p);
        }
      } catch (InvalidIdException e) {
        // a malformed configured id names no profile; config validation reports it
      }
    }
    return List.copyOf(out.values());
  }
}
