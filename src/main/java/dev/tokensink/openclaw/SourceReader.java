package dev.tokensink.openclaw;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.InvalidIdException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads an OpenClaw state dir of either layout into a {@link Source}. Only these files are opened:
 * {@code state/openclaw.sqlite}, {@code agents/<id>/agent/openclaw-agent.sqlite}, the JSON files of
 * {@link JsonSource} and {@code openclaw.json}; {@code state/openclaw-quarantine.sqlite}, {@code
 * *.migrated-<timestamp>-<uuid>} and {@code *.bak} are never read.
 */
final class SourceReader {
  static final String DEFAULT_AGENT = "main";

  private final SqliteSource sqlite;

  SourceReader(SqliteSource sqlite) {
    this.sqlite = sqlite;
  }

  Source read(Path from, Map<String, String> env) {
    if (from == null) {
      throw OpenClawImportException.badInput(
          "--from is missing: name an OpenClaw state dir (e.g. ~/.openclaw)");
    }
    if (!Files.exists(from)) {
      throw OpenClawImportException.badInput("--from " + from + " does not exist");
    }
    if (!Files.isDirectory(from)) {
      throw OpenClawImportException.badInput("--from " + from + " is not a directory");
    }
    OpenClawLayout layout = OpenClawLayout.detect(from);
    if (layout == OpenClawLayout.NONE) {
      throw OpenClawImportException.badInput(
          "--from "
              + from
              + " holds no OpenClaw credentials (no "
              + "state/openclaw.sqlite, agents/<id>/agent/openclaw-agent.sqlite, auth-profiles.json or credentials/oauth.json)");
    }
    OpenClawConfig config = OpenClawConfig.read(from, env);
    List<String> notes = new ArrayList<>(config.warnings());
    TreeSet<String> ids = new TreeSet<>(config.agentIds());
    OpenClawLayout.agentDirs(from).forEach(d -> ids.add(d.getParent().getFileName().toString()));
    ids.add(DEFAULT_AGENT);
    ids.removeIf(
        id -> {
          try {
            AgentId.of(id);
            return false;
          } catch (InvalidIdException e) {
            notes.add("agents/" + id + " skipped: " + e.getMessage());
            return true;
          }
        });
    if (Files.isRegularFile(from.resolve(".env"))) {
      notes.add(
          from.resolve(".env")
              + " holds environment keys; they are not copied: "
              + "copy the file to tokensink's state dir or set the variables where tokensink runs");
    }
    return layout == OpenClawLayout.SQLITE
        ? readSqlite(from, config, ids, notes)
        : readJson(from, config, ids, notes);
  }

  private Source readSqlite(
      Path from, OpenClawConfig config, TreeSet<String> ids, List<String> notes) {
    RawStore shared = null;
    OpenClawImportException sharedError = null;
    boolean legacyMain = true; // no state db: the shape before auth.sharedStore existed
    Path stateDb = from.resolve("state").resolve("openclaw.sqlite");
    if (Files.exists(stateDb)) {
      try {
        SqliteSource.SharedBase base = sqlite.readStateDb(stateDb, "state/openclaw.sqlite");
        shared = base.store();
        legacyMain = base.legacyMain();
      } catch (OpenClawImportException e) {
        sharedError = e;
      }
    }
    List<Source.Agent> agents = new ArrayList<>();
    for (String id : ids) {
      String label = "agents/" + id + "/agent/openclaw-agent.sqlite";
      Path db =
          from.resolve("agents").resolve(id).resolve("agent").resolve("openclaw-agent.sqlite");
      try {
        RawStore own = Files.exists(db) ? sqlite.readAgentDb(db, label) : RawStore.empty(label);
        if (legacyMain && id.equals(DEFAULT_AGENT)) {
          // auth.sharedStore = legacy-main: main's own rows are the shared base
          shared = own;
          own = RawStore.empty(label);
        }
        agents.add(new Source.Agent(id, own, null));
      } catch (OpenClawImportException e) {
        agents.add(new Source.Agent(id, null, e));
        if (legacyMain && id.equals(DEFAULT_AGENT)) {
          sharedError = e;
        }
      }
    }
    return new Source(from, OpenClawLayout.SQLITE, shared, sharedError, agents, config, notes);
  }

  private static Source readJson(
      Path from, OpenClawConfig config, TreeSet<String> ids, List<String> notes) {
    List<Source.Agent> agents = new ArrayList<>();
    for (String id : ids) {
      try {
        agents.add(
            new Source.Agent(id, JsonSource.readAgent(from, id, id.equals(DEFAULT_AGENT)), null));
      } catch (OpenClawImportException e) {
        agents.add(new Source.Agent(id, null, e));
      }
    }
    return new Source(from, OpenClawLayout.JSON, null, null, agents, config, notes);
  }
}
