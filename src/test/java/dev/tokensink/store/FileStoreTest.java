package dev.tokensink.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import dev.tokensink.testing.Fixtures;
import dev.tokensink.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreTest {
  @TempDir Path tmp;
  final MutableClock clock = MutableClock.at("2026-03-01T00:00:00Z");

  FileStore store(Path stateDir) {
    return new FileStore(FileStoreSettings.of(stateDir), clock);
  }

  static Profile key(String id, String secret) {
    return Profile.of(
        ProfileId.parse(id), new Credential.ApiKey(Secret.of(secret), null, Map.of()));
  }

  static JsonNode readJson(Path file) throws IOException {
    return StoreJson.parse(Files.readAllBytes(file), file.toString());
  }

  @Test
  void oldSingleFileLayout_readAndRewrittenSplit_unknownFieldKept() throws IOException {
    Path dir = Fixtures.copy("openclaw-agents", tmp.resolve("openclaw-agents"));
    FileStore store = store(dir);
    assertEquals(List.of(AgentId.of("legacy"), AgentId.MAIN, AgentId.of("work")), store.agents());
    AgentSnapshot main = store.read(AgentId.MAIN).orElseThrow();
    assertEquals(5, main.profiles().size());

    store.update(
        AgentId.MAIN,
        tx -> {
          tx.write(tx.current().withProfile(key("openai:added", "sk-added")));
          return null;
        });
    Path agentDir = store.agentDir(AgentId.MAIN);
    JsonNode profiles = readJson(agentDir.resolve("auth-profiles.json"));
    JsonNode state = readJson(agentDir.resolve("auth-state.json"));
    assertFalse(profiles.has("usageStats"), "state moved out of auth-profiles.json");
    assertEquals("anthropic:work", profiles.get("order").get("anthropic").get(0).asText());
    assertTrue(
        profiles.get("profiles").get("openrouter:team").get("futureField").get("kept").asBoolean());
    assertEquals(
        "sk-or-v1-FIXTURE-legacy-field-apiKey",
        profiles.get("profiles").get("openrouter:default").get("key").asText());
    assertEquals(
        4102444800000L,
        state.get("usageStats").get("openrouter:team").get("cooldownUntil").asLong());
    assertEquals("anthropic:work", state.get("lastGood").get("anthropic").asText());
    AgentSnapshot again = store.read(AgentId.MAIN).orElseThrow();
    assertEquals(6, again.profiles().size());
    assertEquals(main.state(), again.state());
  }

  @Test
  void splitLayout_orderFromStateFile() throws IOException {
    FileStore store = store(Fixtures.copy("openclaw-agents", tmp.resolve("openclaw-agents")));
    AgentSnapshot work = store.read(AgentId.of("work")).orElseThrow();
    assertEquals(List.of(ProfileId.parse("anthropic:default")), work.order().get("anthropic"));
    assertEquals(
        "billing", work.state().usage(ProfileId.parse("anthropic:default")).disabledReason());
  }

  @Test
  void legacyFlatAuthJson_shownByRead_importedOnFirstWrite_andRenamedAside() throws IOException {
    FileStore store = store(Fixtures.copy("openclaw-agents", tmp.resolve("openclaw-agents")));
    Path legacyDir = store.agentDir(AgentId.of("legacy"));
    byte[] flat = Files.readAllBytes(legacyDir.resolve("auth.json"));
    AgentSnapshot shown = store.read(AgentId.of("legacy")).orElseThrow();
    assertFalse(Files.exists(legacyDir.resolve("auth-profiles.json")), "reading never writes");
    assertArrayEquals(flat, Files.readAllBytes(legacyDir.resolve("auth.json")));
    store.importLegacy(AgentId.of("legacy")); // what serve (or the first write) does
    AgentSnapshot legacy = store.read(AgentId.of("legacy")).orElseThrow();
    assertEquals(shown.profiles(), legacy.profiles(), "read showed what the import stores");
    Credential.ApiKey anthropic =
        (Credential.ApiKey) legacy.profile(ProfileId.parse("anthropic:default")).credential();
    assertEquals("sk-ant-api03-FIXTURE-legacy-flat-auth-json", anthropic.key().reveal());
    Credential.OAuth codex =
        (Credential.OAuth) legacy.profile(ProfileId.parse("openai-codex:default")).credential();
    assertEquals("FIXTURE-access-legacy", codex.access().reveal());
    Path agentDir = store.agentDir(AgentId.of("legacy"));
    assertTrue(Files.exists(agentDir.resolve("auth-profiles.json")));
    assertFalse(Files.exists(agentDir.resolve("auth.json")));
    assertTrue(Files.exists(agentDir.resolve("auth.json.imported-" + clock.millis())));
    assertEquals(legacy.profiles(), store.read(AgentId.of("legacy")).orElseThrow().profiles());
  }

  @Test
  void credentialsOauthJson_importedIntoMainOnly_fileUnchanged() throws IOException {
    Path dir = Fixtures.copy("openclaw-legacy", tmp.resolve("openclaw-legacy"));
    Path oauthJson = dir.resolve("credentials/oauth.json");
    byte[] before = Files.readAllBytes(oauthJson);
    FileStore store = store(dir);
    assertTrue(store.read(AgentId.of("other")).isEmpty());
    store.createAgent(AgentId.of("other"));
    assertTrue(store.read(AgentId.of("other")).orElseThrow().profiles().isEmpty());

    AgentSnapshot main = store.read(AgentId.MAIN).orElseThrow();
    assertFalse(
        Files.exists(store.agentDir(AgentId.MAIN).resolve("auth-profiles.json")),
        "reading never writes");
    store.importLegacy(AgentId.MAIN);
    assertEquals(main.profiles(), store.read(AgentId.MAIN).orElseThrow().profiles());
    Credential.OAuth codex =
        (Credential.OAuth) main.profile(ProfileId.parse("openai-codex:default")).credential();
    assertEquals("acct-fixture-legacy", codex.accountId());
    Profile gemini = main.profile(ProfileId.parse("google-gemini-cli:default"));
    assertEquals("proj-1", gemini.extra().get("projectId").asText());
    assertEquals(
        "proj-1",
        readJson(store.agentDir(AgentId.MAIN).resolve("auth-profiles.json"))
            .get("profiles")
            .get("google-gemini-cli:default")
            .get("projectId")
            .asText());
    assertArrayEquals(before, Files.readAllBytes(oauthJson));
    assertTrue(store.read(AgentId.of("other")).orElseThrow().profiles().isEmpty());
  }

  @Test
  void corruptFile_errorNamesFileAndLine_fileUntouched_otherAgentsWork() throws IOException {
    FileStore store = store(Fixtures.copy("openclaw-agents", tmp.resolve("openclaw-agents")));
    Path broken = store.agentDir(AgentId.of("work")).resolve("auth-profiles.json");
    byte[] truncated =
        "{\n  \"version\": 1,\n  \"profiles\": {\n    \"a:b\": {\"type\": \"api_key\", \"key\": \"sk-sec"
            .getBytes();
    Files.write(broken, truncated);
    StoreException read = assertThrows(StoreException.class, () -> store.read(AgentId.of("work")));
    StoreException upd =
        assertThrows(
            StoreException.class,
            () ->
                store.update(
                    AgentId.of("work"),
                    tx -> {
                      tx.write(tx.current().withProfile(key("openai:x", "sk-x")));
                      return null;
                    }));
    for (StoreException e : List.of(read, upd)) {
      assertInstanceOf(StoreException.Corrupt.class, e);
      assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("line 4"), e.getMessage());
      assertFalse(e.getMessage().contains("sk-sec"), e.getMessage());
    }
    assertArrayEquals(truncated, Files.readAllBytes(broken));
    assertEquals(5, store.read(AgentId.MAIN).orElseThrow().profiles().size());
    store.update(
        AgentId.MAIN,
        tx -> {
          tx.write(tx.current().withProfile(key("openai:y", "sk-y")));
          return null;
        });
  }

  @Test
  void crashLeftoverTempFile_ignoredByReaders_removedByNextWrite() throws IOException {
    FileStore store = store(tmp);
    store.createAgent(AgentId.MAIN);
    Path agentDir = store.agentDir(AgentId.MAIN);
    Path leftover = agentDir.resolve(".auth-profiles.json.tmp-deadbeef");
    Files.writeString(leftover, "{\"version\":1,\"profiles\":{\"x:half");
    assertTrue(store.read(AgentId.MAIN).orElseThrow().profiles().isEmpty());
    store.update(
        AgentId.MAIN,
        tx -> {
          tx.write(tx.current().withProfile(key("openai:a", "sk-a")));
          return null;
        });
    assertFalse(Files.exists(leftover));
    assertEquals(1, store.read(AgentId.MAIN).orElseThrow().profiles().size());
  }

  @Test
  void filesAre0600_dirsAre0700() throws IOException {
    FileStore store = store(tmp.resolve("state"));
    store.update(
        AgentId.MAIN,
        tx -> {
          tx.write(
              tx.current()
                  .withProfile(key("openai:a", "sk-a"))
                  .withState(
                      tx.current().state().withLastGood("openai", ProfileId.parse("openai:a"))));
          return null;
        });
    Path agentDir = store.agentDir(AgentId.MAIN);
    for (Path f :
        List.of(agentDir.resolve("auth-profiles.json"), agentDir.resolve("auth-state.json"))) {
      assertEquals("rw-------", mode(f), f.toString());
    }
    for (Path d :
        List.of(
            tmp.resolve("state"), tmp.resolve("state/agents"), agentDir.getParent(), agentDir)) {
      assertEquals("rwx------", mode(d), d.toString());
    }
  }

  static String mode(Path p) throws IOException {
    return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void unchangedContent_isNotRewritten() throws IOException {
    FileStore store = store(tmp);
    store.createAgent(AgentId.MAIN);
    Path file = store.agentDir(AgentId.MAIN).resolve("auth-profiles.json");
    Object inode =
        Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    store.update(
        AgentId.MAIN,
        tx -> {
          tx.write(tx.current());
          return null;
        });
    assertEquals(
        inode,
        Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey());
    assertFalse(
        Files.exists(file.resolveSibling("auth-state.json")), "no state file for an empty state");
  }

  @Test
  void invalidAgentIds_rejectedBeforeAnyPath() throws IOException {
    FileStore store = store(tmp);
    for (String bad : List.of("../x", "", "a".repeat(1 << 20), "mäin", "Main", "a/b")) {
      assertThrows(
          dev.tokensink.model.InvalidIdException.class, () -> store.createAgent(AgentId.of(bad)));
    }
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(0, s.count());
    }
  }

  @Test
  void unknownAgent_isEmpty_andNotCreatedByRead() {
    FileStore store = store(tmp);
    assertTrue(store.read(AgentId.of("ghost")).isEmpty());
    assertFalse(Files.exists(tmp.resolve("agents")));
  }

  @Test
  void flush_persistsMidTransaction() throws IOException {
    FileStore store = store(tmp);
    store.update(
        AgentId.MAIN,
        tx -> {
          tx.write(
              tx.current()
                  .withState(
                      tx.current().state().withRefreshInFlight(ProfileId.parse("openai:a"), 42L)));
          tx.flush();
          try {
            assertEquals(
                42,
                readJson(store.agentDir(AgentId.MAIN).resolve("auth-state.json"))
                    .get("refreshInFlight")
                    .get("openai:a")
                    .asLong());
          } catch (IOException e) {
            throw new AssertionError(e);
          }
          return null;
        });
  }

  @Test
  void sqliteStateDir_refusesWrites() throws IOException {
    Files.createDirectories(tmp.resolve("agents/main/agent"));
    Files.createFile(tmp.resolve("agents/main/agent/openclaw-agent.sqlite"));
    FileStore store = store(tmp);
    String msg = store.writeRefusal().orElseThrow();
    assertTrue(msg.contains("tokensink import openclaw --from"), msg);
    assertThrows(StoreException.WriteRefused.class, () -> store.createAgent(AgentId.of("x")));
    assertThrows(StoreException.WriteRefused.class, () -> store.update(AgentId.MAIN, tx -> null));
    assertFalse(Files.exists(tmp.resolve("agents/x")));
  }

  @Test
  void badProfileEntry_othersLoad_entryKeptVerbatimOnRewrite() throws IOException {
    FileStore store = store(tmp);
    store.createAgent(AgentId.MAIN);
    Path file = store.agentDir(AgentId.MAIN).resolve("auth-profiles.json");
    Files.writeString(
        file,
        "{\"version\":1,\"profiles\":{"
            + "\"openai:ok\":{\"type\":\"api_key\",\"key\":\"sk-ok\"},"
            + "\"openai:future\":{\"type\":\"passkey\",\"blob\":\"sk-secret-blob\"}}}");
    AgentSnapshot s = store.read(AgentId.MAIN).orElseThrow();
    assertEquals(1, s.profiles().size());
    assertTrue(
        StoreJson.invalidProfiles(s).get("openai:future").contains("unknown type 'passkey'"));
    store.update(
        AgentId.MAIN,
        tx -> {
          tx.write(tx.current().withProfile(key("openai:new", "sk-new")));
          return null;
        });
    JsonNode kept = readJson(file).get("profiles").get("openai:future");
    assertEquals("sk-secret-blob", kept.get("blob").asText());
    assertEquals(2, store.read(AgentId.MAIN).orElseThrow().profiles().size());
  }

  @Test
  void profilesFieldNotAnObject_errorNamesTheFullPath() throws IOException {
    FileStore store = store(tmp);
    store.createAgent(AgentId.MAIN);
    Path file = store.agentDir(AgentId.MAIN).resolve("auth-profiles.json");
    Files.writeString(file, "{\"version\":1,\"profiles\":[]}");
    StoreException e = assertThrows(StoreException.Corrupt.class, () -> store.read(AgentId.MAIN));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }
}
