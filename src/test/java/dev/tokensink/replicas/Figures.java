package dev.tokensink.replicas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * Measured figures of the replica ITs: printed, and appended to {@code target/replica-figures.txt}
 * for the docs.
 */
final class Figures {
  private Figures() {}

  static void report(String test, String line) {
    String out = Instant.now() + " " + test + ": " + line;
    System.out.println("FIGURES " + out);
    try {
      Files.writeString(
          Path.of("target", "replica-figures.txt"),
          out + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The q-quantile (0..1) of sorted values, nearest rank. */
  static long quantile(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
