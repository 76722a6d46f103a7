package dev.tokensink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokensink.cli.CliHarness.Result;
import dev.tokensink.testing.TestJwt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md §2: a JWT {@code exp} earlier than the stored {@code expires} wins whenever a
 * credential is loaded, here for a profile imported from an OpenClaw state dir whose stored expiry
 * drifted a week past the token's real end.
 */
class ImportJwtExpiryTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final CliHarness cli = CliHarness.fresh("2026-11-24T00:00:00Z");

  @Test
  void importedOAuthProfile_storedExpiryLaterThanJwtExp_expWins() throws Exception {
    long exp = Instant.parse("2026-11-24T01:00:00Z").getEpochSecond();
    long drifted = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
    String access = TestJwt.sign(TestJwt.claims().put("exp", exp).put("iat", exp - 3600));
    Path from = Files.createTempDirectory("tokensink-oc-jwt-");
    Path agentDir = Files.createDirectories(from.resolve("agents/main/agent"));
    Files.writeString(
        agentDir.resolve("auth-profiles.json"),
        JSON.createObjectNode()
            .put("version", 1)
            .set(
                "profiles",
                JSON.createObjectNode()
                    .set(
                        "openai-codex:default",
                        JSON.createObjectNode()
                            .put("type", "oauth")
                            .put("provider", "openai-codex")
                            .put("access", access)
                            .put("refresh", "FIXTURE-refresh-jwt-drift")
                            .put("expires", drifted)))
            .toString());

    Result r = cli.run("import", "openclaw", "--from", from.toString());
    assertEquals(0, r.exit(), r.toString());

    JsonNode stored = JSON.readTree(cli.agentFile("main", "auth-profiles.json").toFile());
    assertEquals(
        exp * 1000,
        stored.at("/profiles/openai-codex:default/expires").asLong(),
        stored.toString());
    Result status = cli.run("models", "status", "--json");
    assertTrue(
        status.out().contains(String.valueOf(exp * 1000))
            || status.out().contains("2026-11-24T01:00:00Z"),
        status.out());
    assertTrue(!status.out().contains(String.valueOf(drifted)), status.out());
  }
}
