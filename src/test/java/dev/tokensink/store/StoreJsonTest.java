package dev.tokensink.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import dev.tokensink.model.SecretRef;
import dev.tokensink.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreJsonTest {
  static final Path FIXTURES = Fixtures.root().resolve("openclaw-agents/agents");

  static JsonNode json(String text) {
    return StoreJson.parse(text.getBytes(StandardCharsets.UTF_8), "test.json");
  }

  static JsonNode fixture(String agent, String file) throws IOException {
    return StoreJson.parse(
        Files.readAllBytes(FIXTURES.resolve(agent).resolve("agent").resolve(file)), file);
  }

  private static Profile roundTrip(Profile p) {
    JsonNode written =
        json(new String(StoreJson.bytes(StoreJson.profileJson(p)), StandardCharsets.UTF_8));
    return StoreJson.parseProfile(p.id().toString(), written);
  }

  @Test
  void eachProfileType_roundTrips() {
    ProfileId id = ProfileId.parse("openai-codex:me@example.com");
    Profile oauth =
        new Profile(
            id,
            id.provider(),
            new Credential.OAuth(
                Secret.of("acc"), Secret.of("ref"), 4102444800000L, "acct-1", "client-1"),
            "me@example.com",
            "Me",
            Map.of());
    Profile key =
        Profile.of(
            ProfileId.parse("anthropic:default"),
            new Credential.ApiKey(Secret.of("sk-1"), null, Map.of("team", "core")));
    Profile keyRef =
        Profile.of(
            ProfileId.parse("openai:ref"),
            new Credential.ApiKey(null, new SecretRef("env", "default", "OPENAI_KEY"), Map.of()));
    Profile token =
        Profile.of(
            ProfileId.parse("anthropic:manual"),
            new Credential.Token(Secret.of("tok"), null, 123L));
    Profile tokenRef =
        Profile.of(
            ProfileId.parse("custom:k8s"),
            new Credential.Token(null, new SecretRef("file", "mounted", "/token"), null));
    for (Profile p : List.of(oauth, key, keyRef, token, tokenRef)) {
      Profile back = roundTrip(p);
      assertEquals(p, back, p.id().toString());
    }
  }

  @Test
  void unknownFields_survivePerProfileTopLevelAndUsageStats() throws IOException {
    AgentSnapshot s =
        StoreJson.parseAgent(AgentId.MAIN, fixture("main", "auth-profiles.json"), null);
    ObjectNode withNewer = (ObjectNode) fixture("main", "auth-profiles.json");
    withNewer.put("newTopLevel", "x");
    ((ObjectNode) withNewer.get("usageStats").get("openrouter:default")).put("newStat", 7);
    s = StoreJson.parseAgent(AgentId.MAIN, withNewer, null);

    ObjectNode profiles = StoreJson.profilesJson(s);
    ObjectNode state = StoreJson.stateJson(s);
    assertEquals(
        json("{\"kept\":true}"),
        profiles.get("profiles").get("openrouter:team").get("futureField"));
    assertEquals(
        "core",
        profiles.get("profiles").get("openrouter:team").get("metadata").get("team").asText());
    assertEquals("x", profiles.get("newTopLevel").asText());
    assertEquals(7, state.get("usageStats").get("openrouter:default").get("newStat").asInt());
  }

  @Test
  void oldSingleFileLayout_isReadAndWrittenSplit() throws IOException {
    AgentSnapshot s =
        StoreJson.parseAgent(AgentId.MAIN, fixture("main", "auth-profiles.json"), null);
    assertEquals(5, s.profiles().size());
    Profile legacy = s.profile(ProfileId.parse("openrouter:default"));
    assertEquals(
        "sk-or-v1-FIXTURE-legacy-field-apiKey",
        ((Credential.ApiKey) legacy.credential()).key().reveal());
    assertEquals(
        List.of(ProfileId.parse("anthropic:work"), ProfileId.parse("anthropic:default")),
        s.order().get("anthropic"));
    assertEquals(ProfileId.parse("anthropic:work"), s.state().lastGood().get("anthropic"));
    assertEquals(
        4102444800000L, s.state().usage(ProfileId.parse("openrouter:team")).cooldownUntil());

    ObjectNode profiles = StoreJson.profilesJson(s);
    assertFalse(profiles.has("usageStats"));
    assertFalse(profiles.has("lastGood"));
    assertTrue(profiles.has("order"));
    JsonNode rewritten = profiles.get("profiles").get("openrouter:default");
    assertEquals("api_key", rewritten.get("type").asText());
    assertEquals("sk-or-v1-FIXTURE-legacy-field-apiKey", rewritten.get("key").asText());
    ObjectNode state = StoreJson.stateJson(s);
    assertEquals(1, state.get("version").asInt());
    assertEquals("anthropic:work", state.get("lastGood").get("anthropic").asText());
    assertEquals(2, state.get("usageStats").get("openrouter:team").get("errorCount").asInt());
    assertFalse(state.has("order"));
  }

  @Test
  void splitLayout_orderFromStateFileWinsAndMovesToProfilesFile() throws IOException {
    ObjectNode profilesFile = (ObjectNode) fixture("work", "auth-profiles.json");
    profilesFile.set(
        "order", json("{\"anthropic\":[\"anthropic:other\"],\"custom\":[\"custom:expired\"]}"));
    AgentSnapshot s =
        StoreJson.parseAgent(AgentId.of("work"), profilesFile, fixture("work", "auth-state.json"));
    assertEquals(List.of(ProfileId.parse("anthropic:default")), s.order().get("anthropic"));
    assertEquals(List.of(ProfileId.parse("custom:expired")), s.order().get("custom"));
    assertEquals("billing", s.state().usage(ProfileId.parse("anthropic:default")).disabledReason());
    assertEquals(
        1000L,
        ((Credential.Token) s.profile(ProfileId.parse("custom:expired")).credential()).expires());
    assertEquals(
        "anthropic:default",
        StoreJson.profilesJson(s).get("order").get("anthropic").get(0).asText());
  }

  @Test
  void missingProvider_comesFromIdPrefix_andOwnProviderFieldDecides() {
    Profile noProvider =
        StoreJson.parseProfile("groq:default", json("{\"type\":\"api_key\",\"key\":\"k\"}"));
    assertEquals("groq", noProvider.provider().value());
    Profile own =
        StoreJson.parseProfile(
            "anthropic:x",
            json("{\"type\":\"api_key\",\"provider\":\"openrouter\",\"key\":\"k\"}"));
    assertEquals("openrouter", own.provider().value());
  }

  @Test
  void badProfileEntry_isReportedAndKeptVerbatim_othersLoad() {
    JsonNode file =
        json(
            "{\"version\":1,\"profiles\":{"
                + "\"a:ok\":{\"type\":\"api_key\",\"key\":\"sk-good\"},"
                + "\"a:weird\":{\"type\":\"quantum\",\"key\":\"sk-secret-weird\"},"
                + "\"a:nokey\":{\"type\":\"api_key\"},"
                + "\"no-colon\":{\"type\":\"api_key\",\"key\":\"k\"}}}");
    AgentSnapshot s = StoreJson.parseAgent(AgentId.MAIN, file, null);
    assertEquals(1, s.profiles().size());
    Map<String, String> invalid = StoreJson.invalidProfiles(s);
    assertEquals(3, invalid.size());
    assertTrue(invalid.get("a:weird").contains("unknown type 'quantum'"));
    assertFalse(invalid.toString().contains("sk-secret"));
    JsonNode rewritten = StoreJson.profilesJson(s).get("profiles");
    assertEquals(file.get("profiles").get("a:weird"), rewritten.get("a:weird"));
    assertEquals(file.get("profiles").get("no-colon"), rewritten.get("no-colon"));
    assertFalse(StoreJson.profilesJson(s).has(StoreJson.INVALID_PROFILES));
  }

  @Test
  void parseError_namesFileAndLine_neverContent() {
    String text = "{\n  \"profiles\": {\n    \"a:b\": { \"key\": sk-secret-unquoted }\n  }\n}";
    StoreException e =
        assertThrows(
            StoreException.class,
            () ->
                StoreJson.parse(
                    text.getBytes(StandardCharsets.UTF_8), "agents/main/agent/auth-profiles.json"));
    StoreException.Corrupt c = assertInstanceOf(StoreException.Corrupt.class, e);
    assertEquals(3, c.line());
    assertTrue(e.getMessage().contains("auth-profiles.json"), e.getMessage());
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    assertFalse(e.getMessage().contains("sk-secret"), e.getMessage());
    StoreException truncated =
        assertThrows(
            StoreException.class,
            () ->
                StoreJson.parse(
                    "{\"version\":1,\n\"profiles\":{".getBytes(StandardCharsets.UTF_8), "f.json"));
    assertTrue(truncated.getMessage().contains("line 2"), truncated.getMessage());
  }

  @Test
  void legacyModeField_countsAsType() {
    Profile p =
        StoreJson.parseProfile("openrouter:x", json("{\"mode\":\"token\",\"token\":\"t\"}"));
    assertInstanceOf(Credential.Token.class, p.credential());
    assertNull(p.credential().expiresAt());
  }
}
