package dev.tokensink.refresh;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProfileId;

/**
 * Told about every finished refresh flight (metrics, the status page's refresh history). Called on
 * the flight's worker thread after the outcome is known; must not block or throw.
 */
@FunctionalInterface
public interface RefreshObserver {
  RefreshObserver NONE = (mode, result, nanos) -> {};

  /**
   * @param mode {@code serve}, {@code force}, {@code proactive} or {@code recover}
   * @param result {@code refreshed}, {@code used_stored}, {@code transient_failure} (an answer that
   *     issued no tokens), {@code not_sent} (the request never reached the provider), {@code
   *     answer_lost} (a sent request's answer was lost and no retry brought tokens: the profile
   *     waits for introspection or needs re-login; the token was not replayed), {@code busy}
   *     (another process or replica kept the profile's lease), {@code reauth_required} or {@code
   *     failed}
   * @param nanos time from the start of the flight (lock wait included) to its outcome
   */
  void flightDone(String mode, String result, long nanos);

  /** As above, with the flight's profile; observers that need it override this one. */
  default void flightDone(
      AgentId agent, ProfileId profile, String mode, String result, long nanos) {
    flightDone(mode, result, nanos);
  }

  /** Both observers, in order. */
  static RefreshObserver both(RefreshObserver first, RefreshObserver second) {
    return new RefreshObserver() {
      @Override
      public void flightDone(String mode, String result, long nanos) {
        first.flightDone(mode, result, nanos);
        second.flightDone(mode, result, nanos);
      }

      @Override
      public void flightDone(
          AgentId agent, ProfileId profile, String mode, String result, long nanos) {
        first.flightDone(agent, profile, mode, result, nanos);
        second.flightDone(agent, profile, mode, result, nanos);
      }
    };
  }
}
