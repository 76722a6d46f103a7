package dev.tokensink.openclaw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import dev.tokensink.testing.Fixtures;
import dev.tokensink.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each fixture of src/test/fixtures/openclaw-sqlite imports to exactly what its README lists. */
class SqliteFixturesImportTest {
  static final String CODEX = "openai-codex:id-aHR0cDovLzEyNy4wLjAuMTo0NDU1fGFjY2VwdGFuY2UtdXNlcg";
  final MutableClock clock = MutableClock.at("2026-11-23T18:30:00Z");
  @TempDir Path tmp;
  FileStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  ImportResult importFixture(String name, ImportOptions base) {
    Path from = Fixtures.copy("openclaw-sqlite/" + name + "/state", tmp.resolve("src"));
    store = store == null ? new FileStore(FileStoreSettings.of(tmp.resolve("ts")), clock) : store;
    Map<String, String> before = OpenClawSources.checksums(from);
    ImportResult r =
        new OpenClawImport()
            .run(
                new ImportOptions(from, base.agent(), base.dryRun(), base.overwrite()),
                store,
                Map.of(),
                clock);
    assertEquals(
        before, OpenClawSources.checksums(from), "source must stay byte-identical, no new files");
    return r;
  }

  AgentSnapshot agent(String id) {
    return store.read(AgentId.of(id)).orElseThrow();
  }

  static ImportOptions opts() {
    return new ImportOptions(null, null, false, false);
  }

  @Test
  void basic_importsFourProfilesAndOrder() {
    ImportResult r = importFixture("basic", opts());
    assertEquals(0, r.exitCode(), r.text());
    AgentSnapshot main = agent("main");
    assertEquals(
        List.of("anthropic:manual", "anthropic:work", "openrouter:manual", CODEX),
        main.profiles().keySet().stream().map(ProfileId::toString).toList());
    assertNull(main.profile(ProfileId.parse("anthropic:manual")).credential().expiresAt());
    assertEquals(
        1826993584479L, main.profile(ProfileId.parse("anthropic:work")).credential().expiresAt());
    assertEquals("api_key", main.profile(ProfileId.parse("openrouter:manual")).type().json());
    Profile codex = main.profile(ProfileId.parse(CODEX));
    assertEquals("openai-codex", codex.provider().value());
    Credential.OAuth o = (Credential.OAuth) codex.credential();
    assertEquals(1796321611034L, o.expires());
    assertEquals("acceptance-user", o.accountId());
    assertTrue(main.state().reauth().isEmpty());
    assertEquals(
        List.of(ProfileId.parse("anthropic:work"), ProfileId.parse("anthropic:manual")),
        main.order().get("anthropic"));
    AgentReport rep = r.report().agents().get(0);
    assertEquals(1, rep.oneOwner().size());
    assertTrue(
        rep.oneOwner()
            .get(0)
            .detail()
            .contains("log it out in OpenClaw, or log in afresh in tokensink"));
    assertEquals(
        "openai:id-aHR0cDovLzEyNy4wLjAuMTo0NDU1fGFjY2VwdGFuY2UtdXNlcg",
        rep.oneOwner().get(0).source());
    assertFalse(r.text().contains("sk-ant-oat01-fake"), "no secret in the report");
    assertFalse(r.json().contains("sk-or-v1-fake"), "no secret in the JSON report");
  }

  @Test
  void basic_secondRun_changesNothing() throws Exception {
    importFixture("basic", opts());
    Path profiles = tmp.resolve("ts/agents/main/agent/auth-profiles.json");
    byte[] first = Files.readAllBytes(profiles);
    long mtime = Files.getLastModifiedTime(profiles).toMillis();
    clock.advance(java.time.Duration.ofHours(1));
    ImportResult again =
        new OpenClawImport()
            .run(new ImportOptions(tmp.resolve("src"), null, false, false), store, Map.of(), clock);
    assertEquals(0, again.exitCode());
    assertEquals(
        AgentReport.Status.UP_TO_DATE, again.report().agents().get(0).status(), again.text());
    assertEquals(0, again.report().importedCount());
    assertEquals(4, again.report().agents().get(0).unchanged().size());
    assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(profiles)));
    assertEquals(mtime, Files.getLastModifiedTime(profiles).toMillis());
  }

  @Test
  void basic_dryRun_writesNothing() {
    ImportResult r = importFixture("basic", new ImportOptions(null, null, true, false));
    assertEquals(0, r.exitCode());
    assertEquals(4, r.report().importedCount());
    assertEquals(AgentReport.Status.WOULD_WRITE, r.report().agents().get(0).status());
    assertTrue(store.read(AgentId.MAIN).isEmpty());
    assertTrue(r.text().startsWith("Dry run"));
  }

  @Test
  void agents_workOwnTokenOverlaysShared_ordersPerAgent() {
    ImportResult r = importFixture("agents", opts());
    assertEquals(0, r.exitCode(), r.text());
    AgentSnapshot main = agent("main");
    AgentSnapshot work = agent("work");
    List<String> ids = List.of("anthropic:manual", "anthropic:work", "openrouter:manual");
    assertEquals(ids, main.profiles().keySet().stream().map(ProfileId::toString).sorted().toList());
    assertEquals(ids, work.profiles().keySet().stream().map(ProfileId::toString).sorted().toList());
    assertEquals(
        1826993691172L, main.profile(ProfileId.parse("anthropic:work")).credential().expiresAt());
    assertNull(
        work.profile(ProfileId.parse("anthropic:work")).credential().expiresAt(),
        "work's own wins");
    assertFalse(
        work.profile(ProfileId.parse("anthropic:work"))
            .credential()
            .secret()
            .sameAs(main.profile(ProfileId.parse("anthropic:work")).credential().secret()));
    assertEquals(
        List.of(ProfileId.parse("anthropic:manual"), ProfileId.parse("anthropic:work")),
        main.order().get("anthropic"));
    assertEquals(
        List.of(ProfileId.parse("anthropic:work"), ProfileId.parse("anthropic:manual")),
        work.order().get("anthropic"));
  }

  @Test
  void agents_filter_importsOnlyThatAgent() {
    ImportResult r = importFixture("agents", new ImportOptions(null, "work", false, false));
    assertEquals(0, r.exitCode());
    assertEquals(List.of("work"), r.report().agents().stream().map(AgentReport::agent).toList());
    assertTrue(store.read(AgentId.MAIN).isEmpty());
  }

  @Test
  void refreshFailed_fenceBecomesReauthRequired_neverAToken() throws Exception {
    ImportResult r = importFixture("refresh-failed", opts());
    assertEquals(0, r.exitCode(), r.text());
    AgentSnapshot main = agent("main");
    ProfileId id = ProfileId.parse(CODEX);
    Credential.OAuth o = (Credential.OAuth) main.profile(id).credential();
    assertEquals("", o.access().reveal());
    assertNull(o.refresh());
    assertEquals(1L, o.expires());
    assertEquals(
        "refresh failed in OpenClaw; log in again", main.state().reauth().get(id).reason());
    assertEquals(1, r.report().agents().get(0).needsLogin().size());
    assertTrue(r.report().agents().get(0).oneOwner().isEmpty(), "no grant left to own");
    String written =
        Files.readString(tmp.resolve("ts/agents/main/agent/auth-profiles.json"))
            + Files.readString(tmp.resolve("ts/agents/main/agent/auth-state.json"));
    for (String out : List.of(r.text(), r.json(), written)) {
      assertFalse(out.contains(ProfileMapper.FENCE), "fence strings never appear as a token");
    }
  }

  @Test
  void migrated_readsSharedBaseAndStateOrder_ignoresMigratedLeftovers() {
    ImportResult r = importFixture("migrated", opts());
    assertEquals(0, r.exitCode(), r.text());
    AgentSnapshot main = agent("main");
    assertEquals(
        List.of("anthropic:manual", "openrouter:default"),
        main.profiles().keySet().stream().map(ProfileId::toString).toList());
    assertEquals("token", main.profile(ProfileId.parse("openrouter:default")).type().json());
    assertEquals(List.of(ProfileId.parse("anthropic:manual")), main.order().get("anthropic"));
    assertEquals(2, r.report().importedCount());
  }
}
