package dev.tokensink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokensink.cli.CliHarness.Result;
import dev.tokensink.testing.Fixtures;
import dev.tokensink.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code models status} plain and {@code --json}, and every exit code of {@code --check}
 * (docs/rules.md §5) on prepared state dirs; expiry is driven by the injected clock.
 */
class StatusCliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String NOW = "2026-05-01T12:00:00Z";
  static final long NOW_MS = Instant.parse(NOW).toEpochMilli();
  static final long HOUR = 3600_000L;
  static final String KEY = "sk-ant-api03-0123456789abcdefghij-KEY";

  final CliHarness cli = CliHarness.fresh(NOW);

  void profiles(String agent, String profilesJson) {
    cli.write(
        cli.agentFile(agent, "auth-profiles.json"),
        "{\"version\":1,\"profiles\":{" + profilesJson + "}}");
  }

  static String apiKey(String id, String key) {
    return "\""
        + id
        + "\":{\"type\":\"api_key\",\"provider\":\""
        + id.substring(0, id.indexOf(':'))
        + "\",\"key\":\""
        + key
        + "\"}";
  }

  static String token(String id, Long expires) {
    return "\""
        + id
        + "\":{\"type\":\"token\",\"provider\":\""
        + id.substring(0, id.indexOf(':'))
        + "\",\"token\":\"tok-0123456789abcdef-"
        + id.replace(':', '-')
        + "\""
        + (expires == null ? "" : ",\"expires\":" + expires)
        + "}";
  }

  static String oauth(String id, String refresh, long expires) {
    return "\""
        + id
        + "\":{\"type\":\"oauth\",\"provider\":\""
        + id.substring(0, id.indexOf(':'))
        + "\",\"access\":\"access-0123456789abcdef\""
        + (refresh == null ? "" : ",\"refresh\":\"" + refresh + "\"")
        + ",\"expires\":"
        + expires
        + "}";
  }

  int check(String... more) {
    String[] args = new String[3 + more.length];
    args[0] = "models";
    args[1] = "status";
    args[2] = "--check";
    System.arraycopy(more, 0, args, 3, more.length);
    Result r = cli.run(args);
    assertTrue(r.err().isEmpty(), r.toString());
    return r.exit();
  }

  @Test
  void plainStatus_showsTypeMaskedSecretExpiryAndState_neverTheSecret() {
    profiles(
        "main",
        apiKey("anthropic:default", KEY) + "," + token("anthropic:work", NOW_MS + 48 * HOUR));
    Result r = cli.run("models", "status");
    assertEquals(0, r.exit(), r.toString());
    String[] lines = r.out().split("\n");
    assertEquals(2, lines.length, r.out());
    assertTrue(
        lines[0].matches("main\\s+anthropic:default\\s+api_key\\s+sk-a…-KEY\\s+never\\s+static"),
        lines[0]);
    assertTrue(
        lines[1].matches(
            "main\\s+anthropic:work\\s+token\\s+tok-…work\\s+2026-05-03T12:00:00Z\\s+ok"),
        lines[1]);
    assertFalse(r.out().contains(KEY));
  }

  @Test
  void jsonStatus_isValid_withStatusesMaskedSecretsAndCheckCode() throws Exception {
    profiles(
        "main",
        apiKey("anthropic:default", KEY) + "," + token("anthropic:work", NOW_MS + 2 * HOUR));
    Result r = cli.run("models", "status", "--json");
    assertEquals(0, r.exit(), "--json alone never fails: " + r);
    JsonNode j = JSON.readTree(r.out());
    assertEquals(2, j.get("profiles").size());
    JsonNode key = j.get("profiles").get(0);
    assertEquals("anthropic:default", key.get("profileId").asText());
    assertEquals("static", key.get("status").asText());
    assertEquals("sk-a…-KEY", key.get("secret").asText());
    JsonNode tok = j.get("profiles").get(1);
    assertEquals("expiring", tok.get("status").asText());
    assertEquals(NOW_MS + 2 * HOUR, tok.get("expires").asLong());
    assertEquals(2, j.get("check").asInt());
    assertEquals(0, j.get("missingProviders").size());
    assertFalse(r.out().contains(KEY));
  }

  @Test
  void check_0_whenEverythingUsable() {
    profiles(
        "main",
        apiKey("anthropic:default", KEY)
            + ","
            + token("anthropic:work", NOW_MS + 30 * HOUR)
            + ","
            + oauth("openai-codex:me", "refresh-1", NOW_MS - HOUR));
    assertEquals(
        0, check(), "an expired OAuth access token with a refresh token refreshes on use: ok");
  }

  @Test
  void check_followsTheClock_0_then2_then1() {
    profiles("main", token("anthropic:work", NOW_MS + 30 * HOUR));
    assertEquals(0, check());
    cli.clock.advance(Duration.ofHours(7)); // 23 h left: expiring
    assertEquals(2, check());
    cli.clock.advance(Duration.ofHours(23)); // past expiry
    assertEquals(1, check());
    Result r = cli.run("models", "status");
    assertTrue(r.out().contains("expired (expired, cannot refresh)"), r.out());
  }

  @Test
  void check_1_oauthExpiredWithoutRefreshToken() {
    profiles("main", oauth("openai-codex:me", null, NOW_MS - 1));
    assertEquals(1, check());
  }

  @Test
  void check_1_missingSecret_unresolvedKeyRef() {
    profiles(
        "main",
        "\"openrouter:ref\":{\"type\":\"api_key\",\"provider\":\"openrouter\","
            + "\"keyRef\":{\"source\":\"env\",\"provider\":\"default\",\"id\":\"TS_TEST_MISSING_VAR\"}}");
    assertEquals(1, check());
    Result r = cli.run("models", "status");
    assertTrue(r.out().contains("missing"), r.out());
    assertTrue(r.out().contains("TS_TEST_MISSING_VAR"), r.out());

    cli.env.put("TS_TEST_MISSING_VAR", "sk-or-v1-resolved-0123456789");
    assertEquals(0, check(), "the ref resolves once the variable is set");
  }

  @Test
  void check_1_reauthRequired_evenWithFutureExpiry() {
    profiles("main", oauth("openai-codex:me", "refresh-1", NOW_MS + 100 * HOUR));
    cli.write(
        cli.agentFile("main", "auth-state.json"),
        "{\"version\":1,\"reauth\":{\"openai-codex:me\":{\"reason\":\"refresh token revoked\",\"at\":"
            + NOW_MS
            + "}}}");
    assertEquals(1, check());
    Result r = cli.run("models", "status", "--json");
    assertTrue(r.out().contains("\"status\" : \"reauth_required\""), r.out());
    assertTrue(r.out().contains("refresh token revoked"), r.out());
  }

  @Test
  void check_1_configuredProviderWithoutCredentials_untilOneIsAdded() {
    profiles("main", apiKey("anthropic:default", KEY));
    cli.config(
        "tokensink:\n  providers:\n    my-idp:\n      authorize-url: http://127.0.0.1:9/a\n"
            + "      token-url: http://127.0.0.1:9/t\n      client-id: c\n      redirect-uri: http://127.0.0.1:1455/cb\n");
    assertEquals(1, check());
    Result r = cli.run("models", "status");
    assertTrue(r.out().contains("my-idp:-"), r.out());
    assertTrue(r.out().contains("missing (configured provider without credentials)"), r.out());

    Result add =
        cli.runWithStdin(
            "idp-token-0123456789abcdef\n",
            "models",
            "auth",
            "paste-token",
            "--provider",
            "my-idp");
    assertEquals(0, add.exit(), add.toString());
    assertEquals(0, check());
  }

  @Test
  void check_1_winsOverExpiring_andCooldownNeverFails() {
    profiles(
        "main", token("anthropic:soon", NOW_MS + HOUR) + "," + apiKey("anthropic:default", KEY));
    cli.write(
        cli.agentFile("main", "auth-state.json"),
        "{\"version\":1,\"usageStats\":{\"anthropic:default\":"
            + "{\"cooldownUntil\":"
            + (NOW_MS + 60_000)
            + ",\"cooldownReason\":\"rate_limit\",\"errorCount\":1}}}");
    assertEquals(2, check(), "expiring, and a cooldown heals itself");
    profiles(
        "main",
        token("anthropic:soon", NOW_MS + HOUR) + "," + token("anthropic:old", NOW_MS - HOUR));
    assertEquals(1, check());
  }

  @Test
  void check_perAgent_onTheOpenClawFixture() {
    CliHarness fx = new CliHarness(Fixtures.copy("openclaw-agents"), MutableClock.at(NOW));
    Result all = fx.run("models", "status", "--check");
    assertEquals(1, all.exit(), all.toString());
    assertEquals(0, fx.run("models", "status", "--check", "--agent", "main").exit());
    Result work = fx.run("models", "status", "--check", "--agent", "work");
    assertEquals(1, work.exit(), work.toString());
    assertTrue(work.out().contains("custom:"), work.out());
    assertFalse(all.out().contains("FIXTURE-"), "no secret in the fixture's status: " + all.out());
  }

  @Test
  void unknownAgent_exit2_namesTheAgents() {
    profiles("main", apiKey("anthropic:default", KEY));
    Result r = cli.run("models", "status", "--agent", "ghost");
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("unknown agent ghost"), r.err());
  }
}
