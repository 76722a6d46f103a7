package dev.tokensink.refresh;

/**
 * Told about every finished refresh flight (for metrics). Called on the flight's worker thread
 * after the outcome is known; must not block or throw.
 */
@FunctionalInterface
public interface RefreshObserver {
  RefreshObserver NONE = (mode, result, nanos) -> {};

  /**
   * @param mode {@code serve}, {@code force}, {@code proactive} or {@code recover}
   * @param result {@code refreshed}, {@code used_stored}, {@code transient_failure}, {@code
   *     reauth_required} or {@code failed}
   * @param nanos time from the start of the flight (lock wait included) to its outcome
   */
  void flightDone(String mode, String result, long nanos);
}
