package dev.tokensink.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * The OpenClaw state dirs in {@code ../shared/fixtures} (or {@code -Dtokensink.fixtures=DIR}).
 * Tests always work on a copy: tokensink imports and rewrites.
 */
public final class Fixtures {
  private Fixtures() {}

  public static Path root() {
    String prop = System.getProperty("tokensink.fixtures");
    Path p = prop != null ? Path.of(prop) : Path.of("..", "shared", "fixtures");
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException(
          "fixtures not found at "
              + p.toAbsolutePath()
              + "; the repository expects shared/ beside it (or set -Dtokensink.fixtures)");
    }
    return p.toAbsolutePath().normalize();
  }

  /**
   * Copies fixture {@code name} (e.g. {@code openclaw-agents}) into a fresh temp dir and returns
   * it.
   */
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
          // shared/ is read-only and world-readable; the copy is ours and private, like a real
          // state dir
          Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("rwx------"));
        } else {
          registerSecrets(src);
          Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("rw-------"));
        }
      }
    }
  }

  private static final java.util.regex.Pattern SECRET_FIELD =
      java.util.regex.Pattern.compile(
          "\"(?:key|apiKey|token|access|refresh|access_token|refresh_token)\"\\s*:\\s*\"([^\"]+)\"");

  /** The secret values in a fixture file (JSON secret fields, .env values) join the secret scan. */
  private static void registerSecrets(Path file) throws IOException {
    String name = file.getFileName().toString();
    if (name.endsWith(".json")) {
      var m = SECRET_FIELD.matcher(Files.readString(file));
      while (m.find()) {
        Secrets.register(m.group(1));
      }
    } else if (name.equals(".env")) {
      for (String line : Files.readAllLines(file)) {
        int eq = line.indexOf('=');
        if (eq > 0 && !line.startsWith("#")) {
          Secrets.register(line.substring(eq + 1).trim().replaceAll("^\"(.*)\"$", "$1"));
        }
      }
    }
  }
}
