package dev.tokensink.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Detects a state dir that OpenClaw 2026.6+ manages in SQLite (docs/rules.md §1). Such an install
 * never reads the JSON files again, and a JSON file beside its SQLite store breaks it, so tokensink
 * never writes there.
 */
final class StateDirGuard {
  private StateDirGuard() {}

  static Optional<String> refusal(Path stateDir) {
    return holdsSqlite(stateDir)
        ? Optional.of(
            stateDir
                + " holds OpenClaw's SQLite credential store (OpenClaw 2026.6+); tokensink never"
                + " writes there. Import it instead: tokensink import openclaw --from "
                + stateDir
                + " --state-dir ~/.tokensink")
        : Optional.empty();
  }

  /**
   * The state dir's own SQLite store, or one in the agent dir {@code agents/<id>/agent} (two file
   * checks).
   */
  static boolean holdsOwnSqlite(Path stateDir, Path agentDir) {
    return Files.exists(stateDir.resolve("state").resolve("openclaw.sqlite"))
        || Files.exists(agentDir.resolve("openclaw-agent.sqlite"));
  }

  static boolean holdsSqlite(Path stateDir) {
    if (Files.exists(stateDir.resolve("state").resolve("openclaw.sqlite"))) {
      return true;
    }
    Path agents = stateDir.resolve("agents");
    if (!Files.isDirectory(agents)) {
      return false;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(agents)) {
      for (Path a : ds) {
        if (Files.exists(a.resolve("agent").resolve("openclaw-agent.sqlite"))) {
          return true;
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }
}
