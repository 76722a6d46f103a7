package dev.tokensink.routing;

import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProviderId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Chooses the profile that serves a {@code GetCredential} (docs/rules.md §3). Pure: no I/O, no
 * clock of its own, safe to call from any thread. Order of sources, the first that yields a usable
 * profile wins:
 *
 * <ol>
 *   <li>the override's profile: only that one; if it cannot serve, its error goes back (no
 *       rotation);
 *   <li>the session's sticky profile, while usable (a vanished one is skipped: sticky is soft, the
 *       hard pin is the override);
 *   <li>{@link CandidateOrder}: agent order, configured order, or the default sort plus env.
 * </ol>
 *
 * Within the list, usable profiles keep their order, blocked ones follow (soonest usable first),
 * then those that need a person. Nothing usable: {@code UNAVAILABLE} with the soonest time if any
 * is only blocked for a while, else {@code FAILED_PRECONDITION} naming the next step.
 */
public final class Router {
  private final CredentialCheck check;
  private final Predicate<ProviderId> hasLogin;

  /**
   * @param check which credentials can be served at all ({@link CredentialCheck#STANDARD} plus ref
   *     resolution)
   * @param hasLogin providers with a login flow; the others are told to {@code add-key}
   */
  public Router(CredentialCheck check, Predicate<ProviderId> hasLogin) {
    this.check = check;
    this.hasLogin = hasLogin;
  }

  /** The same router with one more reason to skip a profile (e.g. its refresh just failed). */
  public Router withExtraCheck(CredentialCheck extra) {
    return new Router(check.and(extra), hasLogin);
  }

  public Choice choose(RouteRequest r) {
    String overrideModel = r.override().model();
    if (r.override().profile() != null) {
      return pinned(r, r.override().profile());
    }
    if (r.sticky() != null) {
      Profile p = r.resolve(r.sticky());
      if (p != null) {
        Candidate c = Candidate.assess(p, r, check);
        if (c.usable()) {
          return new Choice(p, Source.SESSION, overrideModel, c.probe(), List.of(p.id()));
        }
      }
    }
    CandidateOrder.Ordered ordered = CandidateOrder.of(r);
    if (ordered.profiles().isEmpty()) {
      throw errors(r).noCredentials();
    }
    List<Candidate> all = new ArrayList<>();
    for (Profile p : ordered.profiles()) {
      all.add(Candidate.assess(p, r, check));
    }
    all.sort(BY_RANK);
    Candidate first = all.get(0);
    if (!first.usable()) {
      throw errors(r).noneUsable(all);
    }
    Source source =
        ordered.source() == Source.DEFAULT && isEnv(r, first.profile())
            ? Source.ENV
            : ordered.source();
    List<ProfileId> ids = all.stream().map(c -> c.profile().id()).toList();
    return new Choice(first.profile(), source, overrideModel, first.probe(), ids);
  }

  private Choice pinned(RouteRequest r, ProfileId id) {
    Profile stored = r.snapshot().profile(id);
    ProviderId actual = stored != null ? stored.provider() : id.provider();
    if (!actual.equals(r.provider())) {
      throw errors(r).otherProvider(id, actual);
    }
    Profile p = r.resolve(id);
    if (p == null) {
      throw errors(r).profileNotFound(id, r.snapshot().profilesOf(r.provider()));
    }
    Candidate c = Candidate.assess(p, r, check);
    if (!c.usable()) {
      throw errors(r).pinned(c);
    }
    return new Choice(p, Source.OVERRIDE, r.override().model(), c.probe(), List.of(p.id()));
  }

  /** Built only on the way to an error (it looks up the provider's login flow). */
  private RoutingErrors errors(RouteRequest r) {
    return new RoutingErrors(r, hasLogin.test(r.provider()));
  }

  private static final Comparator<Candidate> BY_RANK =
      Comparator.comparingInt(Candidate::rank)
          .thenComparingLong(c -> c.usableAtMs() == null ? 0 : c.usableAtMs());

  private static boolean isEnv(RouteRequest r, Profile p) {
    return r.env().map(e -> e.id().equals(p.id())).orElse(false);
  }
}
