package dev.tokensink.cooldown;

import dev.tokensink.model.ProfileType;

/**
 * How a served credential fared at the provider; mirrors the proto's {@code Outcome} enum (the gRPC
 * layer maps one onto the other).
 */
public enum Outcome {
  OK,
  RATE_LIMITED,
  AUTH_FAILED,
  BILLING,
  OVERLOADED,
  TIMEOUT,
  OTHER_ERROR,
  USAGE_LIMIT,
  MODEL_NOT_FOUND;

  /**
   * The failure reason recorded for this outcome on a profile of {@code type}; null for {@code OK}.
   * {@code AUTH_FAILED} on an {@code api_key} or {@code token} profile is {@code auth_permanent}
   * (the key is wrong or revoked); on an {@code oauth} profile it is {@code auth}, counted only
   * once a forced refresh did not help (docs/rules.md §4).
   */
  public FailureReason reason(ProfileType type) {
    return switch (this) {
      case OK -> null;
      case RATE_LIMITED -> FailureReason.RATE_LIMIT;
      case AUTH_FAILED ->
          type == ProfileType.OAUTH ? FailureReason.AUTH : FailureReason.AUTH_PERMANENT;
      case BILLING -> FailureReason.BILLING;
      case OVERLOADED -> FailureReason.OVERLOADED;
      case TIMEOUT -> FailureReason.TIMEOUT;
      case OTHER_ERROR -> FailureReason.UNKNOWN;
      case USAGE_LIMIT -> FailureReason.USAGE_LIMIT;
      case MODEL_NOT_FOUND -> FailureReason.MODEL_NOT_FOUND;
    };
  }
}
