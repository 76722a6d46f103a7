package dev.tokensink.cooldown;

/**
 * A failure reason as stored in {@code usageStats} ({@code cooldownReason}, {@code disabledReason},
 * keys of {@code failureCounts}), with the lane it blocks in (docs/rules.md §4). {@code
 * usage_limit} and {@code model_not_found} extend the spec's list: they need their own names in the
 * stored state.
 */
public enum FailureReason {
  RATE_LIMIT("rate_limit", Lane.COOLDOWN, true),
  OVERLOADED("overloaded", Lane.COOLDOWN, false),
  /** Counted, never blocks. */
  TIMEOUT("timeout", Lane.NONE, true),
  AUTH("auth", Lane.COOLDOWN, false),
  AUTH_PERMANENT("auth_permanent", Lane.DISABLED, false),
  BILLING("billing", Lane.DISABLED, false),
  UNKNOWN("unknown", Lane.COOLDOWN, false),
  /** Plan quota: disabled lane, but half-open (one probe every few minutes). */
  USAGE_LIMIT("usage_limit", Lane.DISABLED, false),
  /** Cooldown lane with the normal ladder: stops hammering a model this profile cannot reach. */
  MODEL_NOT_FOUND("model_not_found", Lane.COOLDOWN, true);

  /** Which window a reason opens. */
  public enum Lane {
    NONE,
    COOLDOWN,
    DISABLED
  }

  private final String json;
  private final Lane lane;
  private final boolean modelScoped;

  FailureReason(String json, Lane lane, boolean modelScoped) {
    this.json = json;
    this.lane = lane;
    this.modelScoped = modelScoped;
  }

  public String json() {
    return json;
  }

  public Lane lane() {
    return lane;
  }

  /** True when a report naming a model blocks only that model on the profile. */
  public boolean modelScoped() {
    return modelScoped;
  }
}
