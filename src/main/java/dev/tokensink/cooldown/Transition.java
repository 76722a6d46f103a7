package dev.tokensink.cooldown;

/**
 * A state change {@link CooldownPolicy} caused, for the event stream ({@code COOLDOWN_STARTED},
 * {@code COOLDOWN_ENDED}).
 *
 * @param untilMs end of the new window (epoch ms); null for {@code ENDED}
 * @param reason the failure reason's stored name, or {@code ok}
 * @param model the only model blocked, or null for the whole profile
 */
public record Transition(Type type, Long untilMs, String reason, String model) {

  /** What happened to the profile's windows. */
  public enum Type {
    COOLDOWN_STARTED,
    DISABLED_STARTED,
    /** An OK ended an active cooldown or disabled window. */
    ENDED
  }
}
