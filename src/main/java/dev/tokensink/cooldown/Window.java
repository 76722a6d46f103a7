package dev.tokensink.cooldown;

import dev.tokensink.model.UsageStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One window a profile's usage state holds: the profile's cooldown, its disabled block, or one
 * model's cooldown. A window is identified by (lane, model, end): a new window of the same lane has
 * a new end. Used to tell when a window starts and ends, also one another process or replica wrote.
 *
 * @param model the model key for a model's window, else null
 */
public record Window(Lane lane, String model, long untilMs, String reason) {

  /** Where the window lives. */
  public enum Lane {
    COOLDOWN,
    DISABLED,
    MODEL
  }

  /** Every window recorded in {@code s}, running or already ended. */
  public static List<Window> of(UsageStats s) {
    List<Window> out = new ArrayList<>(2);
    if (s.cooldownUntil() != null) {
      out.add(new Window(Lane.COOLDOWN, null, s.cooldownUntil(), s.cooldownReason()));
    }
    if (s.disabledUntil() != null) {
      out.add(new Window(Lane.DISABLED, null, s.disabledUntil(), s.disabledReason()));
    }
    for (UsageStats.ModelCooldown m : s.models().values()) {
      if (m.cooldownUntil() != null) {
        out.add(new Window(Lane.MODEL, m.model(), m.cooldownUntil(), m.cooldownReason()));
      }
    }
    return out;
  }

  public boolean active(long nowMs) {
    return untilMs > nowMs;
  }

  /** Whether {@code other} is the same lane (and model): a window that replaces this one. */
  public boolean sameSlot(Window other) {
    return lane == other.lane
        && (model == null
            ? other.model == null
            : other.model != null
                && UsageStats.modelKey(model).equals(UsageStats.modelKey(other.model)));
  }

  /**
   * Human text for events and status, e.g. {@code cooldown (rate_limit) until … for model opus}.
   */
  public String describe() {
    String what =
        switch (lane) {
          case DISABLED -> "disabled";
          case COOLDOWN, MODEL -> "cooldown";
        };
    return what
        + " ("
        + (reason == null ? "unknown" : reason)
        + ") until "
        + Instant.ofEpochMilli(untilMs)
        + (model == null ? "" : " for model " + model);
  }
}
