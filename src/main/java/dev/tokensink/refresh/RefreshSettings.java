package dev.tokensink.refresh;

import java.time.Duration;

/**
 * Tunables of the refresh coordinator.
 *
 * @param backoffInitial delay after the first transient token-endpoint failure (default 1 s)
 * @param backoffMax cap of the doubling backoff (default 5 min)
 */
public record RefreshSettings(Duration backoffInitial, Duration backoffMax) {
  public static final RefreshSettings DEFAULTS =
      new RefreshSettings(Duration.ofSeconds(1), Duration.ofMinutes(5));

  public RefreshSettings {
    backoffInitial = backoffInitial == null ? DEFAULTS.backoffInitial() : backoffInitial;
    backoffMax = backoffMax == null ? DEFAULTS.backoffMax() : backoffMax;
  }
}
