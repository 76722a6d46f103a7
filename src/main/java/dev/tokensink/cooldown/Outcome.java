package dev.tokensink.cooldown;

/**
 * How a served credential fared at the provider; mirrors the proto's {@code Outcome} enum (the gRPC
 * layer maps one onto the other).
 */
public enum Outcome {
  OK(null),
  RATE_LIMITED(FailureReason.RATE_LIMIT),
  AUTH_FAILED(FailureReason.AUTH),
  BILLING(FailureReason.BILLING),
  OVERLOADED(FailureReason.OVERLOADED),
  TIMEOUT(FailureReason.TIMEOUT),
  OTHER_ERROR(FailureReason.UNKNOWN),
  USAGE_LIMIT(FailureReason.USAGE_LIMIT),
  MODEL_NOT_FOUND(FailureReason.MODEL_NOT_FOUND);

  private final FailureReason reason;

  Outcome(FailureReason reason) {
    this.reason = reason;
  }

  /** The failure reason recorded for this outcome; null for {@code OK}. */
  public FailureReason reason() {
    return reason;
  }
}
