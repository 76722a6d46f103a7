package dev.tokensink.routing;

/** Why a profile's credential cannot be served at all (as opposed to a timed cooldown). */
public record Unusable(Kind kind, String reason) {

  /** Decides the status code and the next step named in the error. */
  public enum Kind {
    /** The grant is gone or the access token expired without a refresh token: log in again. */
    REAUTH_REQUIRED,
    /** A pasted token expired: it cannot refresh, paste a new one. */
    TOKEN_EXPIRED,
    /** The secret is blank or its ref does not resolve. */
    SECRET_MISSING
  }
}
