package dev.tokensink.openclaw;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which credential layout an OpenClaw state dir holds. {@link #SQLITE} (OpenClaw 2026.6+) wins over
 * {@link #JSON} (up to 2026.5): after {@code openclaw doctor --fix} the JSON files may linger as
 * leftovers. The store uses this to refuse writing into a dir with OpenClaw's SQLite files, because
 * such an install never reads auth-profiles.json again (docs/rules.md §1).
 */
public enum OpenClawLayout {
  JSON,
  SQLITE,
  NONE;

  /**
   * The layout of {@code dir}; {@link #NONE} for a missing dir, a file, or a dir without either.
   */
  public static OpenClawLayout detect(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return NONE;
    }
    List<Path> agentDirs = agentDirs(dir);
    if (Files.exists(dir.resolve("state").resolve("openclaw.sqlite"))
        || agentDirs.stream().anyMatch(a -> Files.exists(a.resolve("openclaw-agent.sqlite")))) {
      return SQLITE;
    }
    if (Files.isRegularFile(dir.resolve("credentials").resolve("oauth.json"))
        || agentDirs.stream().anyMatch(JsonSource::hasAgentFiles)) {
      return JSON;
    }
    return NONE;
  }

  /** {@code agents/<id>/agent} dirs, sorted by id. */
  static List<Path> agentDirs(Path stateDir) {
    Path agents = stateDir.resolve("agents");
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(agents)) {
      return out;
    }
    try (Stream<Path> s = Files.list(agents)) {
      s.sorted().map(a -> a.resolve("agent")).filter(Files::isDirectory).forEach(out::add);
    } catch (IOException e) {
      return out;
    }
    return out;
  }
}
