package dev.tokensink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokensink.cli.CliHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/**
 * {@code agents add|list}, {@code paste-token}, {@code setup-token}, {@code add-key}, {@code
 * profiles list}.
 */
class AgentsAndSecretsCliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SETUP_TOKEN = "sk-ant-oat01-" + "A".repeat(40) + "-" + "b".repeat(40);
  static final String API_KEY = "sk-or-v1-0123456789abcdef0123456789abcdef";

  final CliHarness cli = CliHarness.fresh("2026-05-01T12:00:00Z");

  @Test
  void agentsAdd_thenList_plainAndJson() throws Exception {
    Result add = cli.run("agents", "add", "work");
    assertEquals(0, add.exit(), add.toString());
    assertEquals("created agent work\n", add.out());
    assertEquals("agent work already exists\n", cli.run("agents", "add", "work").out());
    assertEquals(0, cli.run("agents", "add", "main").exit());

    assertEquals("main\nwork\n", cli.run("agents", "list").out());
    JsonNode json = JSON.readTree(cli.run("agents", "list", "--json").out());
    assertEquals("[\"main\",\"work\"]", json.toString());

    Path profiles = cli.agentFile("work", "auth-profiles.json");
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(profiles)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(profiles.getParent())));
  }

  @Test
  void addKey_readsStdin_storesApiKey_printsMaskedOnly() throws Exception {
    Result r =
        cli.runWithStdin(API_KEY + "\n", "models", "auth", "add-key", "--provider", "openrouter");
    assertEquals(0, r.exit(), r.toString());
    assertEquals(
        "stored openrouter:default (api_key sk-o…cdef, no expiry) in agent main\n", r.out());
    assertFalse(r.all().contains(API_KEY));

    JsonNode p =
        JSON.readTree(cli.agentFile("main", "auth-profiles.json").toFile())
            .at("/profiles/openrouter:default");
    assertEquals("api_key", p.get("type").asText());
    assertEquals("openrouter", p.get("provider").asText());
    assertEquals(API_KEY, p.get("key").asText());

    Result again =
        cli.runWithStdin(API_KEY + "x\n", "models", "auth", "add-key", "--provider", "openrouter");
    assertTrue(again.out().startsWith("updated openrouter:default"), again.toString());
  }

  @Test
  void pasteToken_withExpiry_andProfileName_inAnotherAgent() throws Exception {
    cli.run("agents", "add", "work");
    Result r =
        cli.runWithStdin(
            "  tok-0123456789abcdefXYZ  \n",
            "models",
            "auth",
            "paste-token",
            "--provider",
            "custom",
            "--profile",
            "ci",
            "--agent",
            "work",
            "--expires-in",
            "12h");
    assertEquals(0, r.exit(), r.toString());
    assertEquals(
        "stored custom:ci (token tok-…fXYZ, expires 2026-05-02T00:00:00Z) in agent work\n",
        r.out());
    JsonNode p =
        JSON.readTree(cli.agentFile("work", "auth-profiles.json").toFile())
            .at("/profiles/custom:ci");
    assertEquals("token", p.get("type").asText());
    assertEquals("tok-0123456789abcdefXYZ", p.get("token").asText());
    assertEquals(cli.clock.millis() + 12 * 3600_000L, p.get("expires").asLong());
    assertFalse(
        Files.exists(cli.agentFile("main", "auth-profiles.json")), "nothing written into main");
  }

  @Test
  void pasteToken_badExpiresIn_exit2_nothingWritten() {
    Result r =
        cli.runWithStdin(
            "tok-0123456789abcdef\n",
            "models",
            "auth",
            "paste-token",
            "--provider",
            "custom",
            "--expires-in",
            "0m");
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("--expires-in must be positive"), r.err());
    assertFalse(Files.exists(cli.stateDir.resolve("agents")), cli.tree().toString());
  }

  @Test
  void setupToken_anthropic_storedAsManualToken() throws Exception {
    Result r =
        cli.runWithStdin(
            SETUP_TOKEN + "\n", "models", "auth", "setup-token", "--provider", "anthropic");
    assertEquals(0, r.exit(), r.toString());
    assertEquals("stored anthropic:manual (token sk-a…bbbb, no expiry) in agent main\n", r.out());
    assertFalse(r.all().contains(SETUP_TOKEN));
    JsonNode p =
        JSON.readTree(cli.agentFile("main", "auth-profiles.json").toFile())
            .at("/profiles/anthropic:manual");
    assertEquals("token", p.get("type").asText());
    assertEquals(SETUP_TOKEN, p.get("token").asText());
    assertTrue(p.get("expires") == null || p.get("expires").isNull());
  }

  @Test
  void setupToken_otherProvider_refused() {
    Result r =
        cli.runWithStdin(
            SETUP_TOKEN + "\n", "models", "auth", "setup-token", "--provider", "openai");
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("use paste-token"), r.err());
    assertFalse(Files.exists(cli.stateDir.resolve("agents")));
  }

  @Test
  void profilesList_jsonIsValid_namesIdsPerProvider_noSecret() throws Exception {
    cli.runWithStdin(API_KEY + "\n", "models", "auth", "add-key", "--provider", "openrouter");
    cli.runWithStdin(
        API_KEY + "2\n",
        "models",
        "auth",
        "add-key",
        "--provider",
        "openrouter",
        "--profile",
        "team");
    cli.runWithStdin(
        SETUP_TOKEN + "\n", "models", "auth", "setup-token", "--provider", "anthropic");
    Result r = cli.run("profiles", "list", "--json");
    assertEquals(0, r.exit(), r.toString());
    JsonNode j = JSON.readTree(r.out());
    assertEquals("main", j.get("agent").asText());
    assertEquals("[\"anthropic:manual\"]", j.at("/providers/anthropic").toString());
    assertEquals(
        "[\"openrouter:default\",\"openrouter:team\"]", j.at("/providers/openrouter").toString());
    assertFalse(r.out().contains(API_KEY) || r.out().contains(SETUP_TOKEN), r.out());

    Result plain = cli.run("profiles", "list");
    assertEquals(
        "anthropic: anthropic:manual\nopenrouter: openrouter:default, openrouter:team\n",
        plain.out());
  }
}
