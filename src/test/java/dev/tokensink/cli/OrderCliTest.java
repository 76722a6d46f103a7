package dev.tokensink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokensink.cli.CliHarness.Result;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code models auth order get|set|clear}: docs/rules.md §3 validation, refusals change nothing.
 */
class OrderCliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final CliHarness cli = CliHarness.fresh("2026-05-01T12:00:00Z");

  @BeforeEach
  void profiles() {
    cli.write(
        cli.agentFile("main", "auth-profiles.json"),
        "{\"version\":1,\"profiles\":{"
            + "\"anthropic:default\":{\"type\":\"api_key\",\"provider\":\"anthropic\",\"key\":\"sk-ant-api03-default-0123456789\"},"
            + "\"anthropic:work\":{\"type\":\"token\",\"provider\":\"anthropic\",\"token\":\"sk-ant-oat01-work-0123456789\"},"
            + "\"openrouter:default\":{\"type\":\"api_key\",\"provider\":\"openrouter\",\"key\":\"sk-or-v1-0123456789abcdef\"}}}");
    assertEquals(0, cli.run("agents", "add", "work").exit());
  }

  @Test
  void get_set_get_clear_get() throws Exception {
    assertEquals(
        "anthropic: (none; default order: oauth, token, api_key, least recently used first)\n",
        cli.run("models", "auth", "order", "get", "--provider", "anthropic").out());

    Result set =
        cli.run(
            "models",
            "auth",
            "order",
            "set",
            "--provider",
            "anthropic",
            "anthropic:work",
            "anthropic:default");
    assertEquals(0, set.exit(), set.toString());
    assertEquals("anthropic: anthropic:work anthropic:default  (agent order)\n", set.out());
    assertEquals(
        "[\"anthropic:work\",\"anthropic:default\"]",
        JSON.readTree(cli.agentFile("main", "auth-profiles.json").toFile())
            .at("/order/anthropic")
            .toString());
    assertEquals(
        set.out(), cli.run("models", "auth", "order", "get", "--provider", "anthropic").out());

    Result clear = cli.run("models", "auth", "order", "clear", "--provider", "anthropic");
    assertEquals(0, clear.exit(), clear.toString());
    assertTrue(
        JSON.readTree(cli.agentFile("main", "auth-profiles.json").toFile())
            .at("/order/anthropic")
            .isMissingNode());
    assertTrue(
        cli.run("models", "auth", "order", "get", "--provider", "anthropic")
            .out()
            .contains("(none;"));
  }

  @Test
  void get_showsConfiguredAuthOrder_whenTheAgentHasNone() {
    cli.config(
        "tokensink:\n  auth:\n    order:\n      anthropic: [anthropic:default, anthropic:work]\n");
    assertEquals(
        "anthropic: anthropic:default anthropic:work  (configured auth.order)\n",
        cli.run("models", "auth", "order", "get", "--provider", "anthropic").out());
  }

  @Test
  void set_envPseudoProfile_isAccepted() {
    Result r =
        cli.run(
            "models",
            "auth",
            "order",
            "set",
            "--provider",
            "anthropic",
            "anthropic:default",
            "anthropic:env");
    assertEquals(0, r.exit(), r.toString());
  }

  void refused(String expectedMessagePart, String... args) {
    Map<String, String> before = cli.tree();
    Result r = cli.run(args);
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains(expectedMessagePart), r.err());
    assertEquals(before, cli.tree(), "no state changed");
  }

  @Test
  void set_unknownProfile_refused_listsTheProfilesThatExist() {
    refused(
        "profile anthropic:nope does not exist in agent main; profiles of anthropic: [anthropic:default, anthropic:work]",
        "models",
        "auth",
        "order",
        "set",
        "--provider",
        "anthropic",
        "anthropic:work",
        "anthropic:nope");
  }

  @Test
  void set_foreignProfile_refused() {
    refused(
        "profile openrouter:default is for provider openrouter, not anthropic",
        "models",
        "auth",
        "order",
        "set",
        "--provider",
        "anthropic",
        "anthropic:work",
        "openrouter:default");
  }

  @Test
  void set_profileOfAnotherAgent_refused() {
    refused(
        "does not exist in agent work",
        "models",
        "auth",
        "order",
        "set",
        "--provider",
        "anthropic",
        "--agent",
        "work",
        "anthropic:work");
  }

  @Test
  void set_duplicate_malformed_or_empty_refused() {
    refused(
        "listed twice",
        "models",
        "auth",
        "order",
        "set",
        "--provider",
        "anthropic",
        "anthropic:work",
        "anthropic:work");
    refused("", "models", "auth", "order", "set", "--provider", "anthropic", "anthropic work");
    refused("", "models", "auth", "order", "set", "--provider", "anthropic", "../anthropic:x");
    refused("PROFILE", "models", "auth", "order", "set", "--provider", "anthropic");
  }

  @Test
  void unknownAgent_refused_namesTheCommandToRun() {
    refused(
        "tokensink agents add ghost",
        "models",
        "auth",
        "order",
        "set",
        "--provider",
        "anthropic",
        "--agent",
        "ghost",
        "anthropic:work");
    refused(
        "tokensink agents add ghost",
        "models",
        "auth",
        "order",
        "get",
        "--provider",
        "anthropic",
        "--agent",
        "ghost");
  }
}
