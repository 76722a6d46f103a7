package dev.tokensink.cli;

import dev.tokensink.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs the real command line ({@link Main#run}) in-process against a temp state dir, with a given
 * stdin, captured stdout/stderr, an injected clock and an environment of the test's choosing (the
 * test JVM's own variables never leak in).
 */
final class CliHarness {
  final Path stateDir;
  final MutableClock clock;
  final Map<String, String> env = new HashMap<>();

  /** What one run printed and returned. */
  record Result(int exit, String out, String err) {
    String all() {
      return out + err;
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  CliHarness(Path stateDir, MutableClock clock) {
    this.stateDir = stateDir;
    this.clock = clock;
  }

  static CliHarness fresh(String clockIso) {
    try {
      return new CliHarness(Files.createTempDirectory("tokensink-cli-"), MutableClock.at(clockIso));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code tokensink ARGS --state-dir <stateDir>} with empty stdin. */
  Result run(String... args) {
    return runWithStdin("", args);
  }

  Result runWithStdin(String stdin, String... args) {
    return runRaw(
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), withStateDir(args));
  }

  /** Runs exactly these args (no --state-dir added) on the given stdin. */
  Result runRaw(InputStream stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code = Main.run(new Cli(stdin, o, e, env, clock, false), args);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Runs on a stdin and a clock of the caller's (e.g. a pipe the test writes to while the command
   * runs).
   */
  Result runWith(InputStream stdin, PrintStream out, Clock c, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code = Main.run(new Cli(stdin, out, e, env, c, false), withStateDir(args));
    return new Result(code, "", err.toString(StandardCharsets.UTF_8));
  }

  String[] withStateDir(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--state-dir");
    all.add(stateDir.toString());
    return all.toArray(String[]::new);
  }

  Path agentFile(String agent, String file) {
    return stateDir.resolve("agents").resolve(agent).resolve("agent").resolve(file);
  }

  String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void write(Path p, String content) {
    try {
      Files.createDirectories(p.getParent());
      Files.writeString(p, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void config(String yaml) {
    write(stateDir.resolve("config.yaml"), yaml);
  }

  /**
   * Every path under the state dir with its bytes (directories map to ""), to prove "nothing
   * changed". Agent lock files ({@code *.lock}, empty, left in place by design) are not state and
   * are left out.
   */
  Map<String, String> tree() {
    return tree(stateDir);
  }

  static Map<String, String> tree(Path root) {
    Map<String, String> m = new TreeMap<>();
    if (!Files.exists(root)) {
      return m;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.getFileName().toString().endsWith(".lock")) {
          continue;
        }
        String key = root.relativize(p).toString();
        m.put(
            key,
            Files.isDirectory(p)
                ? ""
                : java.util.HexFormat.of()
                    .formatHex(
                        java.security.MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(p))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return m;
  }
}
