package dev.tokensink.routing;

import static dev.tokensink.routing.RoutingException.Kind.FAILED_PRECONDITION;
import static dev.tokensink.routing.RoutingException.Kind.INVALID_ARGUMENT;
import static dev.tokensink.routing.RoutingException.Kind.NOT_FOUND;
import static dev.tokensink.routing.RoutingException.Kind.UNAVAILABLE;

import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProviderId;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** The error of each situation in docs/api.md's status table, with the next step in the message. */
final class RoutingErrors {
  private final RouteRequest r;
  private final boolean hasLogin;

  RoutingErrors(RouteRequest r, boolean hasLogin) {
    this.r = r;
    this.hasLogin = hasLogin;
  }

  RoutingException noCredentials() {
    String verb = hasLogin ? "login" : "add-key";
    return new RoutingException(
        NOT_FOUND,
        "No credentials found for provider "
            + r.provider()
            + " in agent "
            + agent()
            + "; run `tokensink models auth "
            + verb
            + " "
            + flags()
            + "`");
  }

  RoutingException otherProvider(ProfileId id, ProviderId actual) {
    return new RoutingException(
        INVALID_ARGUMENT, "profile " + id + " is for provider " + actual + ", not " + r.provider());
  }

  RoutingException profileNotFound(ProfileId id, List<Profile> existing) {
    String known =
        existing.isEmpty()
            ? "agent " + agent() + " has no profiles for " + r.provider()
            : "profiles for "
                + r.provider()
                + ": "
                + existing.stream().map(p -> p.id().toString()).collect(Collectors.joining(", "));
    return new RoutingException(
        NOT_FOUND,
        "profile "
            + id
            + " not found in agent "
            + agent()
            + "; "
            + known
            + " (`tokensink profiles list --agent "
            + agent()
            + " --json`)");
  }

  /** The pinned profile cannot serve: its own error, no rotation. */
  RoutingException pinned(Candidate c) {
    if (c.problem() != null) {
      return problem(c.problem().kind(), c.profile().id() + ": " + c.problem().reason());
    }
    return new RoutingException(
        UNAVAILABLE,
        "profile "
            + c.profile().id()
            + " is pinned by the override and "
            + blocked(c)
            + "; retry then or choose another profile",
        c.usableAtMs());
  }

  /** No candidate can serve: a timed block wins (it heals itself), then re-login, then paste. */
  RoutingException noneUsable(List<Candidate> all) {
    Candidate soonest =
        all.stream()
            .filter(c -> c.usableAtMs() != null)
            .min(Comparator.comparingLong(Candidate::usableAtMs))
            .orElse(null);
    if (soonest != null) {
      return new RoutingException(
          UNAVAILABLE,
          "every profile for "
              + r.provider()
              + " in agent "
              + agent()
              + " is cooling down or disabled; the soonest, "
              + soonest.profile().id()
              + ", "
              + blocked(soonest),
          soonest.usableAtMs());
    }
    for (Unusable.Kind kind : Unusable.Kind.values()) {
      List<String> hit =
          all.stream()
              .filter(c -> c.problem().kind() == kind)
              .map(c -> c.profile().id() + ": " + c.problem().reason())
              .toList();
      if (!hit.isEmpty()) {
        return problem(kind, String.join("; ", hit));
      }
    }
    throw new IllegalStateException("no candidate and no reason");
  }

  private RoutingException problem(Unusable.Kind kind, String detail) {
    String next =
        switch (kind) {
          case REAUTH_REQUIRED -> "re-login required: run tokensink models auth login " + flags();
          case TOKEN_EXPIRED -> "paste a new token: tokensink models auth paste-token " + flags();
          case SECRET_MISSING ->
              "secret unavailable: fix its source or run tokensink models auth "
                  + (hasLogin ? "login " : "add-key ")
                  + flags();
        };
    return new RoutingException(FAILED_PRECONDITION, next + " (" + detail + ")");
  }

  private static String blocked(Candidate c) {
    String why = c.blockReason() == null ? "" : " (" + c.blockReason() + ")";
    return "is blocked" + why + " until " + Instant.ofEpochMilli(c.usableAtMs());
  }

  private String flags() {
    return "--provider " + r.provider() + " --agent " + agent();
  }

  private String agent() {
    return r.snapshot().agent().value();
  }
}
