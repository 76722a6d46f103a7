package dev.tokensink.refresh;

import dev.tokensink.model.Credential;
import dev.tokensink.oauth.Jwt;
import dev.tokensink.oauth.TokenResponse;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The rotation rules of docs/rules.md §2 as pure functions of (stored credential, token answer,
 * now).
 */
final class Rotation {
  static final String CRASH_REASON = "refresh interrupted by a crash";

  /** The credential to persist after a refresh, and the lifetime its {@code expires_in} told. */
  record Rotated(Credential.OAuth credential, Duration lifetime) {}

  private Rotation() {}

  /**
   * New access token; the old refresh token is kept when the answer has none; the expiry is {@code
   * now + expires_in}, but a JWT {@code exp} that is earlier wins (a drifting stored expiry once
   * made OpenClaw refresh on every call); without {@code expires_in} the JWT {@code exp}, else one
   * hour.
   */
  static Rotated apply(Credential.OAuth stored, TokenResponse r, long nowMs) {
    Jwt jwt = Jwt.parse(r.accessToken());
    OptionalLong exp = jwt.expiresAtMillis();
    Long expiresIn =
        r.expiresInSeconds() != null && r.expiresInSeconds() > 0 ? r.expiresInSeconds() : null;
    long expires;
    if (expiresIn != null) {
      expires = nowMs + expiresIn * 1000;
      if (exp.isPresent() && exp.getAsLong() < expires) {
        expires = exp.getAsLong();
      }
    } else if (exp.isPresent()) {
      expires = exp.getAsLong();
    } else {
      expires = nowMs + Freshness.DEFAULT_LIFETIME.toMillis();
    }
    OptionalLong iat = jwt.issuedAtMillis();
    Duration lifetime =
        Freshness.lifetime(
            expiresIn,
            iat.isPresent() ? iat.getAsLong() / 1000 : null,
            exp.isPresent() ? exp.getAsLong() / 1000 : null);
    return new Rotated(stored.withTokens(r.accessToken(), r.refreshToken(), expires), lifetime);
  }

  /**
   * Whether a "refresh in flight since" marker found under the agent lock may be replayed: only
   * when the provider still accepts a just-rotated refresh token for longer than the marker's age.
   * Otherwise the stored refresh token may be spent, and replaying it would revoke the grant.
   */
  static boolean mayRetryAfterCrash(long markerSinceMs, Duration refreshGrace, long nowMs) {
    return refreshGrace.toMillis() > nowMs - markerSinceMs;
  }
}
