package dev.tokensink.events;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProviderId;
import java.time.Instant;
import java.util.Objects;

/**
 * One lifecycle event of a profile (docs/api.md {@code ExpiryEvent}). Never carries a secret: the
 * {@code reason} is written by tokensink from sanitized messages only.
 *
 * @param expiresAt the credential's expiry after the event, null when it does not expire or is gone
 */
public record LifecycleEvent(
    Type type,
    AgentId agent,
    ProfileId profileId,
    ProviderId provider,
    Instant expiresAt,
    Instant occurredAt,
    String reason) {

  /** The event types of docs/api.md, in proto order. */
  public enum Type {
    EXPIRING,
    REFRESHED,
    REFRESH_FAILED,
    REAUTH_REQUIRED,
    EXPIRED,
    COOLDOWN_STARTED,
    COOLDOWN_ENDED,
    PROFILE_ADDED,
    PROFILE_REMOVED
  }

  public LifecycleEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(profileId, "profileId");
    Objects.requireNonNull(occurredAt, "occurredAt");
    provider = provider == null ? profileId.provider() : provider;
    reason = reason == null ? "" : reason;
  }

  /** Convenience for producers that know the expiry in epoch ms (null: none). */
  public static LifecycleEvent of(
      Type type,
      AgentId agent,
      ProfileId id,
      ProviderId provider,
      Long expiresAtMs,
      Instant occurredAt,
      String reason) {
    return new LifecycleEvent(
        type,
        agent,
        id,
        provider,
        expiresAtMs == null ? null : Instant.ofEpochMilli(expiresAtMs),
        occurredAt,
        reason);
  }
}
