package dev.tokensink.routing;

import dev.tokensink.model.AuthState;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.refresh.Freshness;
import java.time.Instant;

/**
 * Decides whether a profile's credential can be served at all, independent of cooldowns. Pure
 * checks are in {@link #STANDARD}; checks that need I/O (resolving a {@code keyRef}) are supplied
 * by the caller and chained with {@link #and}.
 */
@FunctionalInterface
public interface CredentialCheck {

  /** Null when the credential can be served (possibly after a refresh), else why not. */
  Unusable check(Profile profile, AuthState state, long nowMs);

  default CredentialCheck and(CredentialCheck next) {
    return (p, s, now) -> {
      Unusable first = check(p, s, now);
      return first != null ? first : next.check(p, s, now);
    };
  }

  /**
   * Re-auth marks; a blank key or token; a token, or an OAuth access token without a refresh token,
   * that will not stay valid for the serving margin of an unknown lifetime (30 s). An OAuth profile
   * with a refresh token always passes: the refresh layer renews it before serving.
   */
  CredentialCheck STANDARD =
      (p, state, now) -> {
        var mark = state.reauth().get(p.id());
        if (mark != null) {
          return new Unusable(Unusable.Kind.REAUTH_REQUIRED, mark.reason());
        }
        long margin = Freshness.servingMargin(Freshness.DEFAULT_LIFETIME).toMillis();
        Credential c = p.credential();
        if (c instanceof Credential.ApiKey k && k.key() != null && k.key().isBlank()) {
          return new Unusable(Unusable.Kind.SECRET_MISSING, "the stored key is empty");
        }
        if (c instanceof Credential.Token t) {
          if (t.token() != null && t.token().isBlank()) {
            return new Unusable(Unusable.Kind.SECRET_MISSING, "the stored token is empty");
          }
          if (t.expires() != null && t.expires() - now < margin) {
            return new Unusable(
                Unusable.Kind.TOKEN_EXPIRED,
                "the token expires " + Instant.ofEpochMilli(t.expires()));
          }
        }
        if (c instanceof Credential.OAuth o
            && (o.refresh() == null || o.refresh().isBlank())
            && o.expires() - now < margin) {
          return new Unusable(
              Unusable.Kind.REAUTH_REQUIRED,
              "the access token expires "
                  + Instant.ofEpochMilli(o.expires())
                  + " and there is no refresh token");
        }
        return null;
      };
}
