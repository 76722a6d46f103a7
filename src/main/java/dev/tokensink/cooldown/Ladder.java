package dev.tokensink.cooldown;

import java.time.Duration;
import java.util.List;

/**
 * The windows of one failure reason by its failure count (docs/rules.md §4): the listed steps, then
 * the last step doubled per further failure, never beyond {@code max}. {@code [30s]} up to 24 h is
 * 30 s, 60 s, 120 s … 24 h; {@code [30s, 60s, 5m]} up to 5 min is 30 s, 60 s, then 5 min.
 *
 * @param steps the first windows, at least one, each positive and none shorter than the one before
 * @param max the longest window, not shorter than any step
 */
public record Ladder(List<Duration> steps, Duration max) {

  public Ladder {
    steps = List.copyOf(steps);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a ladder needs at least one step");
    }
  }

  /** A ladder that starts at {@code initial} and doubles up to {@code max}. */
  public static Ladder doubling(Duration initial, Duration max) {
    return new Ladder(List.of(initial), max);
  }

  /** The window of the {@code count}-th failure (1-based; below 1 counts as 1). */
  public Duration window(int count) {
    int n = Math.max(count, 1);
    Duration d;
    if (n <= steps.size()) {
      d = steps.get(n - 1);
    } else {
      long lastMs = steps.get(steps.size() - 1).toMillis();
      int shifts = n - steps.size();
      d =
          shifts >= 62 || lastMs > (max.toMillis() >> shifts)
              ? max
              : Duration.ofMillis(lastMs << shifts);
    }
    return d.compareTo(max) > 0 ? max : d;
  }
}
