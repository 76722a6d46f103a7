package dev.tokensink.refresh;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Capped exponential backoff per profile after transient refresh failures, in memory (a restart
 * starts over, which is one extra attempt, not a loop). Thread-safe.
 */
final class Backoff {
  private record Window(int failures, long until) {}

  private final RefreshSettings settings;
  private final Map<ProfileKey, Window> windows = new ConcurrentHashMap<>();

  Backoff(RefreshSettings settings) {
    this.settings = settings;
  }

  /** The delay before attempt {@code failures + 1}: initial × 2^(failures-1), capped. */
  static long delayMs(int failures, RefreshSettings s) {
    long initial = s.backoffInitial().toMillis();
    long max = s.backoffMax().toMillis();
    int shift = Math.min(Math.max(failures - 1, 0), 30);
    long d = initial << shift;
    return d <= 0 || d > max ? max : d;
  }

  /** Records a failure at {@code now}; returns the epoch ms before which no attempt is made. */
  long failed(ProfileKey key, long now) {
    Window w =
        windows.merge(
            key,
            new Window(1, now + delayMs(1, settings)),
            (old, one) ->
                new Window(old.failures() + 1, now + delayMs(old.failures() + 1, settings)));
    return w.until();
  }

  void reset(ProfileKey key) {
    windows.remove(key);
  }

  /** The end of the active window, or null when an attempt may be made now. */
  Long blockedUntil(ProfileKey key, long now) {
    Window w = windows.get(key);
    return w == null || w.until() <= now ? null : w.until();
  }
}
