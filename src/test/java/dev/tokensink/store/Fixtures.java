package dev.tokensink.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies a shared fixture state dir into a test's temp dir; /work/shared is never modified. */
final class Fixtures {
  static final Path ROOT = Path.of("/work/shared/fixtures");

  private Fixtures() {}

  static Path copy(String name, Path tempDir) throws IOException {
    Path from = ROOT.resolve(name);
    Path to = tempDir.resolve(name);
    try (Stream<Path> all = Files.walk(from)) {
      all.forEach(
          p -> {
            try {
              Files.copy(p, to.resolve(from.relativize(p).toString()));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
    return to;
  }
}
