package dev.tokensink.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The OpenClaw state dirs in {@code ../shared/fixtures} (or {@code -Dtokensink.fixtures=DIR}). Tests
 * always work on a copy: tokensink imports and rewrites.
 */
public final class Fixtures {
  private Fixtures() {}

  public static Path root() {
    String prop = System.getProperty("tokensink.fixtures");
    Path p = prop != null ? Path.of(prop) : Path.of("..", "shared", "fixtures");
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("fixtures not found at " + p.toAbsolutePath()
          + "; the repository expects shared/ beside it (or set -Dtokensink.fixtures)");
    }
    return p.toAbsolutePath().normalize();
  }

  /** Copies fixture {@code name} (e.g. {@code openclaw-agents}) into a fresh temp dir and returns it. */
  public static Path copy(String name) {
    try {
      Path target = Files.createTempDirectory("tokensink-" + name + "-");
      copyTree(root().resolve(name), target);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path src : (Iterable<Path>) files::iterator) {
        Path dst = to.resolve(from.relativize(src).toString());
        if (Files.isDirectory(src)) {
          Files.createDirectories(dst);
          dst.toFile().setWritable(true, true);
        } else {
          Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
          dst.toFile().setWritable(true, true); // shared/ is read-only; the copy is ours
        }
      }
    }
  }
}
