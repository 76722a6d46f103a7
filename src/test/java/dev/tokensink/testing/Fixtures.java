package dev.tokensink.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The OpenClaw state dirs in {@code src/test/fixtures} (what they hold and what each must yield:
 * src/test/fixtures/README.md). Tests always work on a private copy: tokensink imports and
 * rewrites, and the checked-in files must never change.
 */
public final class Fixtures {
  private Fixtures() {}

  /**
   * The fixtures dir of this checkout (Maven runs tests with the project dir as {@code basedir}).
   */
  public static Path root() {
    Path base = Path.of(System.getProperty("basedir", ""));
    Path p = base.resolve("src").resolve("test").resolve("fixtures").toAbsolutePath().normalize();
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException(
          "fixtures not found at " + p + " (run tests from the project dir)");
    }
    return p;
  }

  /** Copies fixture {@code rel} (e.g. {@code openclaw-agents}) into a fresh temp dir. */
  public static Path copy(String rel) {
    try {
      return copy(rel, Files.createTempDirectory("tokensink-fixture-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Copies fixture {@code rel} (e.g. {@code openclaw-sqlite/basic/state}) to {@code into} (created
   * if missing) and returns {@code into}.
   */
  public static Path copy(String rel, Path into) {
    try {
      copyTree(root().resolve(rel), into);
      return into;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Copies a tree; dirs become 0700 and files 0600, as in a real state dir, and every secret in a
   * copied file joins the log scan of {@link Secrets}.
   */
  public static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path src : (Iterable<Path>) files::iterator) {
        Path dst = to.resolve(from.relativize(src).toString());
        if (Files.isDirectory(src)) {
          Files.createDirectories(dst);
          Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("rwx------"));
        } else {
          registerSecrets(src);
          Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("rw-------"));
        }
      }
    }
  }

  private static final Pattern SECRET_FIELD =
      Pattern.compile(
          "\"(?:key|apiKey|token|access|refresh|access_token|refresh_token)\"\\s*:\\s*\"([^\"]+)\"");

  /** The secret values in a fixture file (JSON secret fields, .env values) join the secret scan. */
  private static void registerSecrets(Path file) throws IOException {
    String name = file.getFileName().toString();
    if (name.endsWith(".json")) {
      Matcher m = SECRET_FIELD.matcher(Files.readString(file));
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
