package dev.tokensink.refresh;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProfileId;
import java.time.Instant;

/**
 * A profile could not be made fresh. The gRPC layer maps {@link Kind}: {@code REAUTH_REQUIRED} →
 * FAILED_PRECONDITION, {@code UNAVAILABLE} → UNAVAILABLE, {@code NOT_FOUND} → NOT_FOUND. The
 * message says what to do next and never contains a secret (it is built from ids, times and the
 * token client's sanitized messages only). Every waiter of one refresh gets the same instance.
 */
public final class RefreshException extends RuntimeException {

  /** What went wrong, from the caller's point of view. */
  public enum Kind {
    /** The grant is gone (invalid_grant, revoked, interrupted by a crash): a person must log in. */
    REAUTH_REQUIRED,
    /** The token endpoint or the store failed and no stored token is still valid; retry later. */
    UNAVAILABLE,
    /** The profile no longer exists (removed by another writer). */
    NOT_FOUND
  }

  private final Kind kind;
  private final AgentId agent;
  private final ProfileId profile;
  private final Instant retryAt;

  public RefreshException(
      Kind kind,
      AgentId agent,
      ProfileId profile,
      Instant retryAt,
      String message,
      Throwable cause) {
    super(message, cause, true, false);
    this.kind = kind;
    this.agent = agent;
    this.profile = profile;
    this.retryAt = retryAt;
  }

  static RefreshException reauth(AgentId agent, ProfileId id, String reason) {
    return new RefreshException(
        Kind.REAUTH_REQUIRED,
        agent,
        id,
        null,
        "re-login required for profile "
            + id
            + " of agent "
            + agent
            + " ("
            + reason
            + "): run `tokensink models auth"
            + " login --provider "
            + id.provider()
            + " --agent "
            + agent
            + "`",
        null);
  }

  public Kind kind() {
    return kind;
  }

  public AgentId agent() {
    return agent;
  }

  public ProfileId profile() {
    return profile;
  }

  /** When a retry may succeed (end of the backoff), or null when unknown. */
  public Instant retryAt() {
    return retryAt;
  }
}
