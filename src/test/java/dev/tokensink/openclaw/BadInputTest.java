package dev.tokensink.openclaw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProfileId;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import dev.tokensink.testing.Fixtures;
import dev.tokensink.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad source gives a clear message naming the source (and profile), and no partial
 * agent.
 */
class BadInputTest {
  static final String TOKEN =
      "{\"type\":\"token\",\"provider\":\"anthropic\",\"token\":\"sk-ant-oat01-fake-SECRET-1\"}";
  final MutableClock clock = MutableClock.at("2026-11-23T18:30:00Z");
  @TempDir Path tmp;
  Path src;
  FileStore store;

  @BeforeEach
  void open() throws Exception {
    src = Files.createDirectories(tmp.resolve("src"));
    store = new FileStore(FileStoreSettings.of(tmp.resolve("ts")), clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  ImportResult run(Map<String, String> env) {
    return new OpenClawImport().run(new ImportOptions(src, null, false, false), store, env, clock);
  }

  Path agentDb(String agent) {
    return src.resolve("agents").resolve(agent).resolve("agent").resolve("openclaw-agent.sqlite");
  }

  void mainOwns(String profilesJson) {
    OpenClawSources.stateDb(
        src.resolve("state/openclaw.sqlite"),
        Map.of(
            "auth.sharedStore",
            "{\"location\":\"state-db\"}",
            "authProfiles.store",
            "{\"version\":1,\"profiles\":" + profilesJson + "}"));
  }

  String onlyMessage(ImportResult r) {
    return r.report().error() != null ? r.report().error() : r.report().agents().get(0).error();
  }

  @Test
  void from_missing_notADir_empty_noOpenClaw() throws Exception {
    assertEquals(
        2,
        new OpenClawImport()
            .run(new ImportOptions(null, null, false, false), store, Map.of(), clock)
            .exitCode());
    src = tmp.resolve("nope");
    assertTrue(run(Map.of()).report().error().contains("does not exist"));
    src = Files.writeString(tmp.resolve("file"), "x");
    assertTrue(run(Map.of()).report().error().contains("is not a directory"));
    src = Files.createDirectories(tmp.resolve("empty"));
    ImportResult r = run(Map.of());
    assertEquals(2, r.exitCode());
    assertTrue(r.report().error().contains("holds no OpenClaw credentials"), r.text());
  }

  @Test
  void notADatabase_truncated_newerSchema() throws Exception {
    Files.createDirectories(agentDb("main").getParent());
    Files.write(
        agentDb("main"),
        "this is not sqlite at all, just text that is long enough for a header....."
            .repeat(20)
            .getBytes());
    ImportResult r = run(Map.of());
    assertEquals(2, r.exitCode());
    assertEquals(
        "agents/main/agent/openclaw-agent.sqlite is not an SQLite database", onlyMessage(r));

    Files.delete(agentDb("main"));
    Fixtures.copy("openclaw-sqlite/basic/state", src.resolve("b"));
    src = src.resolve("b");
    Path state = src.resolve("state/openclaw.sqlite");
    byte[] full = Files.readAllBytes(state);
    Files.write(state, java.util.Arrays.copyOf(full, full.length / 3));
    r = run(Map.of());
    assertEquals(2, r.exitCode(), r.text());
    assertTrue(onlyMessage(r).startsWith("state/openclaw.sqlite is damaged"), onlyMessage(r));
    assertTrue(store.read(AgentId.MAIN).isEmpty(), "no partial agent");

    Files.write(state, full);
    try (Connection c = OpenClawSources.open(agentDb("main"));
        Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = 24");
    }
    r = run(Map.of());
    assertEquals(2, r.exitCode());
    assertTrue(
        onlyMessage(r).contains("schema version 24, newer than this tokensink understands (23"),
        onlyMessage(r));
  }

  @Test
  void storeJsonDoesNotParse_failsThatAgentOnly() {
    mainOwns("{\"anthropic:manual\":" + TOKEN + "}");
    OpenClawSources.agentDb(
        agentDb("work"), "{\"version\":1,\"profiles\":{\"x:y\": {\"type\": \"tok", null, 23);
    ImportResult r = run(Map.of());
    assertEquals(0, r.exitCode(), "main imported");
    AgentReport work =
        r.report().agents().stream()
            .filter(a -> a.agent().equals("work"))
            .findFirst()
            .orElseThrow();
    assertEquals(AgentReport.Status.FAILED, work.status());
    assertTrue(
        work.error()
            .startsWith(
                "agents/work/agent/openclaw-agent.sqlite auth_profile_store['primary'] ends"
                    + " unexpectedly"),
        work.error());
    assertTrue(store.read(AgentId.of("work")).isEmpty(), "no partial agent");
    assertFalse(r.text().contains("SECRET"));
  }

  @Test
  void unknownType_skippedWithSourceAndProfile_exit2() {
    mainOwns(
        "{\"anthropic:odd\":{\"type\":\"magic\",\"provider\":\"anthropic\",\"token\":\"sk-SECRET\"}}");
    ImportResult r = run(Map.of());
    assertEquals(2, r.exitCode());
    assertTrue(
        r.report()
            .agents()
            .get(0)
            .skipped()
            .get(0)
            .detail()
            .contains("profile anthropic:odd has unknown type 'magic'"));
    assertTrue(
        r.report().agents().get(0).skipped().get(0).detail().startsWith("state/openclaw.sqlite"));
    assertFalse(r.text().contains("SECRET"));
  }

  @Test
  void fencePendingAndFailed_importedAsNeedingLogin() {
    String fence = ProfileMapper.FENCE + "abc:";
    mainOwns(
        "{\"openai:p\":{\"type\":\"oauth\",\"provider\":\"openai\",\"expires\":1,\"access\":\""
            + fence
            + "access:1\",\"refresh\":\""
            + fence
            + "refresh:1\"},\"openai:f\":{\"type\":\"oauth\",\"provider\":\"openai\","
            + "\"expires\":1,\"access\":\""
            + fence
            + "failed:access:1\",\"refresh\":\""
            + fence
            + "failed:refresh:1\"}}");
    ImportResult r = run(Map.of());
    assertEquals(0, r.exitCode());
    var main = store.read(AgentId.MAIN).orElseThrow();
    assertEquals(
        "refresh was in progress in OpenClaw; log in again",
        main.state().reauth().get(ProfileId.parse("openai-codex:p")).reason());
    assertEquals(
        "refresh failed in OpenClaw; log in again",
        main.state().reauth().get(ProfileId.parse("openai-codex:f")).reason());
    assertFalse(r.text().contains(ProfileMapper.FENCE));
  }

  @Test
  void secretRefs_missingVariableAndFile_warn_exec_unresolved_dotdot_refused() throws Exception {
    Files.writeString(src.resolve("keys.json"), "{\"openrouter\":{\"key\":\"sk-or-SECRET\"}}");
    mainOwns(
        "{\"openai:env\":{\"type\":\"api_key\",\"provider\":\"openai\",\"keyRef\":{\"source\":\"env\",\"id\":\"OPENAI_KEY_X\"}},"
            + "\"openrouter:file\":{\"type\":\"api_key\",\"provider\":\"openrouter\",\"keyRef\":{\"source\":\"file\",\"provider\":\"keys.json\",\"id\":\"/openrouter/key\"}},"
            + "\"openrouter:gone\":{\"type\":\"api_key\",\"provider\":\"openrouter\",\"keyRef\":{\"source\":\"file\",\"provider\":\"gone.json\",\"id\":\"/k\"}},"
            + "\"anthropic:exec\":{\"type\":\"token\",\"provider\":\"anthropic\",\"tokenRef\":{\"source\":\"exec\",\"provider\":\"vault\",\"id\":\"x\"}},"
            + "\"anthropic:up\":{\"type\":\"token\",\"provider\":\"anthropic\",\"tokenRef\":{\"source\":\"file\",\"provider\":\"../outside.json\",\"id\":\"/t\"}}}");
    ImportResult r = run(Map.of());
    assertEquals(0, r.exitCode(), r.text());
    AgentReport main = r.report().agents().get(0);
    assertEquals(4, main.imported().size(), r.text());
    assertTrue(
        main.warnings().stream()
            .anyMatch(
                w ->
                    w.contains(
                        "profile openai:env: environment variable OPENAI_KEY_X is not set")));
    assertTrue(
        main.warnings().stream()
            .anyMatch(
                w -> w.contains("profile openrouter:gone: file ") && w.contains("does not exist")));
    assertEquals("anthropic:exec", main.unresolved().get(0).profile());
    assertTrue(
        main.skipped()
            .get(0)
            .detail()
            .contains(
                "profile anthropic:up: file ref '../outside.json' leaves its allowed directory"));
    var file =
        (dev.tokensink.model.Credential.ApiKey)
            store
                .read(AgentId.MAIN)
                .orElseThrow()
                .profile(ProfileId.parse("openrouter:file"))
                .credential();
    assertEquals(
        src.resolve("keys.json").toAbsolutePath().normalize().toString(), file.keyRef().provider());
    assertFalse(r.text().contains("SECRET"));
  }

  @Test
  void dotdotRefAlone_nothingImported_exit2() {
    mainOwns(
        "{\"anthropic:up\":{\"type\":\"token\",\"provider\":\"anthropic\",\"tokenRef\":{\"source\":\"file\",\"provider\":\"/etc/../x\",\"id\":\"/t\"}}}");
    assertEquals(2, run(Map.of()).exitCode());
  }

  @Test
  void writerHoldsOpenTransaction_readsLastCommitted_sourceUnchanged() throws Exception {
    mainOwns("{\"anthropic:manual\":" + TOKEN + "}");
    Path db = src.resolve("state/openclaw.sqlite");
    try (Connection w = OpenClawSources.open(db);
        Statement s = w.createStatement()) {
      s.execute(
          "update config_machine_state set value_json = '{\"version\":1,\"profiles\":{}}' where state_key = 'authProfiles.store'");
      s.execute(
          "update config_machine_state set value_json = '{\"version\":1,\"profiles\":{\"anthropic:committed\":"
              + TOKEN
              + "}}' where state_key = 'authProfiles.store'"); // committed into the WAL
      s.execute("BEGIN IMMEDIATE");
      s.execute(
          "update config_machine_state set value_json = '{\"version\":1,\"profiles\":{}}' where state_key = 'authProfiles.store'");
      assertTrue(Files.exists(Path.of(db + "-wal")) && Files.exists(Path.of(db + "-shm")));
      Map<String, String> before = OpenClawSources.checksums(src);
      ImportResult r = run(Map.of());
      assertEquals(
          before, OpenClawSources.checksums(src), "db, -wal and -shm unchanged, no new files");
      assertEquals(0, r.exitCode(), r.text());
      assertEquals("anthropic:committed", r.report().agents().get(0).imported().get(0).profile());
      s.execute("ROLLBACK");
    }
  }

  @Test
  void databaseKeepsChanging_lockedByAWriter_exit1_nothingWritten() throws Exception {
    mainOwns("{\"anthropic:manual\":" + TOKEN + "}");
    Path db = src.resolve("state/openclaw.sqlite");
    AtomicInteger writes = new AtomicInteger();
    try (Connection w = OpenClawSources.open(db);
        Statement s = w.createStatement()) {
      SqliteSnapshot.Hook writer =
          source ->
              s.execute(
                  "update config_machine_state set updated_at_ms = "
                      + writes.incrementAndGet()
                      + " where state_key = 'auth.sharedStore'");
      ImportResult r =
          new OpenClawImport(3, writer)
              .run(new ImportOptions(src, null, false, false), store, Map.of(), clock);
      assertEquals(1, r.exitCode(), r.text());
      assertEquals(
          "database state/openclaw.sqlite is locked by a writer (it changed while being read, 3 attempts);"
              + " stop OpenClaw or retry",
          onlyMessage(r));
      assertEquals(3, writes.get());
      assertTrue(store.read(AgentId.MAIN).isEmpty());
    }
  }
}
