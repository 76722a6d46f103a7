package dev.tokensink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokensink.cli.CliHarness.Result;
import dev.tokensink.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code import openclaw --from DIR [--agent] [--dry-run] [--json]} on the checked-in fixtures,
 * read-only on DIR.
 */
class ImportCliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CODEX = "openai-codex:id-aHR0cDovLzEyNy4wLjAuMTo0NDU1fGFjY2VwdGFuY2UtdXNlcg";

  final CliHarness cli = CliHarness.fresh("2026-11-24T00:00:00Z");

  static Path source(String fixture) throws Exception {
    Path copy = Files.createTempDirectory("tokensink-oc-" + fixture + "-");
    Fixtures.copyTree(
        Fixtures.root().resolve("openclaw-sqlite").resolve(fixture).resolve("state"), copy);
    return copy;
  }

  JsonNode profiles(String agent) throws Exception {
    return JSON.readTree(cli.agentFile(agent, "auth-profiles.json").toFile());
  }

  Result importFrom(Path from, String... more) {
    String[] args = new String[4 + more.length];
    args[0] = "import";
    args[1] = "openclaw";
    args[2] = "--from";
    args[3] = from.toString();
    System.arraycopy(more, 0, args, 4, more.length);
    return cli.run(args);
  }

  @Test
  void sqliteAgents_importsPerAgentWithOrder_sourceUnchanged_secondRunChangesNothing()
      throws Exception {
    Path from = source("agents");
    Map<String, String> sourceBefore = CliHarness.tree(from);
    Result r = importFrom(from);
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("6 profile(s) imported, exit 0"), r.out());
    assertFalse(r.out().contains("sk-ant-oat01-fake"), "no secret in the report");
    assertEquals(sourceBefore, CliHarness.tree(from), "the OpenClaw dir is byte-identical");

    assertEquals("main\nwork\n", cli.run("agents", "list").out());
    assertEquals(
        "[\"anthropic:manual\",\"anthropic:work\"]",
        profiles("main").at("/order/anthropic").toString());
    assertEquals(
        "[\"anthropic:work\",\"anthropic:manual\"]",
        profiles("work").at("/order/anthropic").toString());
    assertEquals(1826993691172L, profiles("main").at("/profiles/anthropic:work/expires").asLong());
    assertTrue(
        profiles("work").at("/profiles/anthropic:work/expires").isMissingNode(),
        "work's own token overlays");
    assertEquals(0, cli.run("models", "status", "--check").exit());

    Map<String, String> after = cli.tree();
    Result again = importFrom(from, "--json");
    assertEquals(0, again.exit(), again.toString());
    JsonNode j = JSON.readTree(again.out());
    assertEquals("sqlite", j.get("layout").asText());
    for (JsonNode a : j.get("agents")) {
      assertEquals(0, a.get("imported").size(), a.toString());
      assertEquals(3, a.get("unchanged").size(), a.toString());
    }
    assertEquals(after, cli.tree(), "the second run changes nothing");
  }

  @Test
  void dryRun_reportsButWritesNothing() throws Exception {
    Path from = source("basic");
    Result r = importFrom(from, "--dry-run", "--json");
    assertEquals(0, r.exit(), r.toString());
    JsonNode j = JSON.readTree(r.out());
    assertTrue(j.get("dryRun").asBoolean());
    assertEquals(4, j.at("/agents/0/imported").size(), r.out());
    assertEquals(Map.of("", ""), cli.tree(), "nothing written");
  }

  @Test
  void basic_openaiOAuthBecomesOpenaiCodex_withOneOwnerWarning() throws Exception {
    Result r = importFrom(source("basic"));
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains(CODEX + ": only one program may refresh this grant"), r.out());
    JsonNode p = profiles("main").at("/profiles/" + CODEX.replace("~", "~0").replace("/", "~1"));
    assertEquals("oauth", p.get("type").asText());
    assertEquals("openai-codex", p.get("provider").asText());
    assertEquals(1796321611034L, p.get("expires").asLong());
    assertEquals("acceptance-user", p.get("accountId").asText());
  }

  @Test
  void refreshFailed_fenceMarkerBecomesReauthRequired_neverAToken() throws Exception {
    Result r = importFrom(source("refresh-failed"));
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("Needs a new login (main):"), r.out());
    Result status = cli.run("models", "status", "--json");
    JsonNode row = JSON.readTree(status.out()).at("/profiles/0");
    assertEquals(CODEX, row.get("profileId").asText());
    assertEquals("reauth_required", row.get("status").asText(), status.out());
    assertEquals(1, cli.run("models", "status", "--check").exit());
    for (Path f :
        new Path[] {
          cli.agentFile("main", "auth-profiles.json"), cli.agentFile("main", "auth-state.json")
        }) {
      assertFalse(cli.read(f).contains("openclaw-oauth-refresh-fence"), f.toString());
    }
    assertFalse((r.all() + status.all()).contains("openclaw-oauth-refresh-fence"));
  }

  @Test
  void jsonLayoutFixture_onlyOneAgent_withAgentFlag() throws Exception {
    Path from = Fixtures.copy("openclaw-agents");
    Result r = importFrom(from, "--agent", "work");
    assertEquals(0, r.exit(), r.toString());
    assertEquals("work\n", cli.run("agents", "list").out());
    assertEquals(
        "anthropic: anthropic:default\ncustom: custom:expired\n",
        cli.run("profiles", "list", "--agent", "work").out());
    assertTrue(r.out().contains("custom:expired: token expired; paste a new one"), r.out());
  }

  @Test
  void existingProfile_notOverwritten_unlessOverwrite() throws Exception {
    assertEquals(
        0,
        cli.runWithStdin(
                "sk-or-v1-mine-0123456789abcdef\n",
                "models",
                "auth",
                "add-key",
                "--provider",
                "openrouter",
                "--profile",
                "manual")
            .exit());
    Path from = source("basic");
    Result r = importFrom(from);
    assertEquals(
        "sk-or-v1-mine-0123456789abcdef",
        profiles("main").at("/profiles/openrouter:manual/key").asText(),
        r.out());
    Result o = importFrom(from, "--overwrite");
    assertEquals(0, o.exit(), o.toString());
    assertTrue(
        profiles("main")
            .at("/profiles/openrouter:manual/key")
            .asText()
            .startsWith("sk-or-v1-fake"));
  }

  @Test
  void badFrom_missingNotADirEmpty_exit2_nothingWritten() throws Exception {
    Path empty = Files.createTempDirectory("tokensink-empty-");
    Path file = Files.createTempFile("tokensink-file-", ".txt");
    for (Path p : new Path[] {empty.resolve("nope"), file, empty}) {
      Result r = importFrom(p);
      assertEquals(2, r.exit(), r.toString());
      assertTrue(r.err().contains("import openclaw: --from " + p), r.toString());
    }
    assertEquals(2, cli.run("import", "openclaw").exit(), "--from is required");
    assertEquals(Map.of("", ""), cli.tree());
  }
}
