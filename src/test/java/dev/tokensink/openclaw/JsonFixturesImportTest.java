package dev.tokensink.openclaw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.ProfileId;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import dev.tokensink.testing.Fixtures;
import dev.tokensink.testing.MutableClock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON-layout fixtures (OpenClaw up to 2026.5) import as their README describes. */
class JsonFixturesImportTest {
  final MutableClock clock = MutableClock.at("2026-11-23T18:30:00Z");
  @TempDir Path tmp;
  FileStore store;

  @AfterEach
  void close() {
    store.close();
  }

  ImportResult run(String fixture) {
    Path from = Fixtures.copy(fixture, tmp.resolve("src"));
    store = new FileStore(FileStoreSettings.of(tmp.resolve("ts")), clock);
    Map<String, String> before = OpenClawSources.checksums(from);
    ImportResult r =
        new OpenClawImport()
            .run(new ImportOptions(from, null, false, false), store, Map.of(), clock);
    assertEquals(before, OpenClawSources.checksums(from), "source unchanged");
    return r;
  }

  static List<String> ids(AgentSnapshot s) {
    return s.profiles().keySet().stream().map(ProfileId::toString).sorted().toList();
  }

  @Test
  void openclawAgents_allThreeLayouts() {
    ImportResult r = run("openclaw-agents");
    assertEquals(0, r.exitCode(), r.text());
    AgentSnapshot main = store.read(AgentId.MAIN).orElseThrow();
    assertEquals(
        List.of(
            "anthropic:default",
            "anthropic:work",
            "openai-codex:me@example.com",
            "openrouter:default",
            "openrouter:team"),
        ids(main));
    assertEquals(
        "sk-or-v1-FIXTURE-legacy-field-apiKey",
        main.profile(ProfileId.parse("openrouter:default")).credential().secret().reveal());
    assertTrue(main.profile(ProfileId.parse("openrouter:team")).extra().containsKey("futureField"));
    assertEquals(
        4102444800000L, main.state().usage(ProfileId.parse("openrouter:team")).cooldownUntil());
    assertEquals(
        List.of(ProfileId.parse("anthropic:work"), ProfileId.parse("anthropic:default")),
        main.order().get("anthropic"));
    assertEquals(ProfileId.parse("anthropic:work"), main.state().lastGood().get("anthropic"));
    assertEquals(
        "acct-fixture-1",
        ((Credential.OAuth)
                main.profile(ProfileId.parse("openai-codex:me@example.com")).credential())
            .accountId());

    AgentSnapshot work = store.read(AgentId.of("work")).orElseThrow();
    assertEquals(List.of("anthropic:default", "custom:expired"), ids(work));
    AgentReport workReport =
        r.report().agents().stream()
            .filter(a -> a.agent().equals("work"))
            .findFirst()
            .orElseThrow();
    assertEquals("custom:expired", workReport.needsLogin().get(0).profile());

    AgentSnapshot legacy = store.read(AgentId.of("legacy")).orElseThrow();
    assertEquals(List.of("anthropic:default", "openai-codex:default"), ids(legacy));
    assertTrue(
        r.report().notes().stream().anyMatch(n -> n.contains(".env")),
        "the .env is named, not copied");
  }

  @Test
  void openclawLegacy_credentialsOauthGoesToMainOnly() {
    ImportResult r = run("openclaw-legacy");
    assertEquals(0, r.exitCode(), r.text());
    AgentSnapshot main = store.read(AgentId.MAIN).orElseThrow();
    assertEquals(List.of("google-gemini-cli:default", "openai-codex:default"), ids(main));
    assertEquals(
        "acct-fixture-legacy",
        ((Credential.OAuth) main.profile(ProfileId.parse("openai-codex:default")).credential())
            .accountId());
    assertNotNull(
        main.profile(ProfileId.parse("google-gemini-cli:default")).extra().get("projectId"));
    assertEquals(List.of(AgentId.MAIN), store.agents());
  }
}
