package dev.tokensink.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.cli.CliHarness.Result;
import dev.tokensink.store.StoreChild;
import dev.tokensink.testing.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input, each a test: a clear message, exit 2 (or 1 for a failure), stored data untouched. */
class BadInputCliTest {
  static final String KEY = "sk-or-v1-0123456789abcdef0123456789abcdef";
  final CliHarness cli = CliHarness.fresh("2026-05-01T12:00:00Z");

  static String[] badIds() {
    return new String[] {
      "../x",
      "..",
      "x/../../y",
      "",
      " ",
      "main ",
      "Main",
      "m\u0430in" /* Cyrillic a */,
      "\uff4d\uff41\uff49\uff4e" /* fullwidth */,
      "main\u200b" /* zero-width space */,
      "ma\u0000in",
      "-main",
      "x".repeat(1 << 20)
    };
  }

  void assertNothingCreated(Result r) {
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().startsWith("tokensink: ") || r.err().contains("Usage"), r.err());
    assertTrue(
        r.err().length() < 2000,
        "the message echoes at most a short part of the input: " + r.err().length());
    assertEquals(Map.of("", ""), cli.tree(), "no file or directory created");
    assertFalse(Files.exists(cli.stateDir.getParent().resolve("x")));
    assertFalse(Files.exists(cli.stateDir.getParent().resolve("y")));
  }

  @ParameterizedTest
  @MethodSource("badIds")
  void agentsAdd_badId(String id) {
    assertNothingCreated(cli.run("agents", "add", id));
  }

  @ParameterizedTest
  @MethodSource("badIds")
  void addKey_badAgent(String id) {
    assertNothingCreated(
        cli.runWithStdin(
            KEY + "\n", "models", "auth", "add-key", "--provider", "openrouter", "--agent", id));
  }

  @ParameterizedTest
  @MethodSource("badIds")
  void addKey_badProvider(String id) {
    assertNothingCreated(
        cli.runWithStdin(KEY + "\n", "models", "auth", "add-key", "--provider", id));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "", "a b", "a/b", "n\u0430me", "name\u200b"})
  void pasteToken_badProfileName(String name) {
    assertNothingCreated(
        cli.runWithStdin(
            "tok-0123456789abcdef\n",
            "models",
            "auth",
            "paste-token",
            "--provider",
            "custom",
            "--profile",
            name));
  }

  @Test
  void profileNameOf1MB_refused() {
    assertNothingCreated(
        cli.runWithStdin(
            "tok-0123456789abcdef\n",
            "models",
            "auth",
            "paste-token",
            "--provider",
            "custom",
            "--profile",
            "n".repeat(1 << 20)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\n", "   \n", "\t\n", "tok en-0123456789\n"})
  void emptyOrWhitespaceToken_refused(String stdin) {
    Result r = cli.runWithStdin(stdin, "models", "auth", "paste-token", "--provider", "custom");
    assertNothingCreated(r);
    assertTrue(r.err().contains("is empty") || r.err().contains("contains whitespace"), r.err());
    Result k = cli.runWithStdin(stdin, "models", "auth", "add-key", "--provider", "openrouter");
    assertNothingCreated(k);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abc123DEF456#state789XYZ",
        "http://localhost:1455/auth/callback?code=abc&state=xyz",
        "code=abc&state=xyz"
      })
  void oauthAnswerPastedAsSetupToken_refusedWithExplanation(String pasted) {
    Result r =
        cli.runWithStdin(pasted + "\n", "models", "auth", "setup-token", "--provider", "anthropic");
    assertNothingCreated(r);
    assertTrue(r.err().contains("not a token"), r.err());
    assertTrue(
        r.err().contains("tokensink models auth login"), "names what to do instead: " + r.err());
    assertFalse(r.err().contains(pasted), "the pasted value is not echoed: " + r.err());
  }

  @Test
  void setupToken_wrongPrefix_orCutOff_refused() {
    Result r =
        cli.runWithStdin("sk-ant-api03-" + "x".repeat(90) + "\n", "models", "auth", "setup-token");
    assertNothingCreated(r);
    assertTrue(r.err().contains("must start with sk-ant-oat01-"), r.err());
    Result cut =
        cli.runWithStdin("sk-ant-oat01-" + "x".repeat(30) + "\n", "models", "auth", "setup-token");
    assertNothingCreated(cut);
    assertTrue(cut.err().contains("too short"), cut.err());
  }

  @Test
  void usageErrors_exit2() {
    assertEquals(2, cli.run("agents", "frobnicate").exit());
    assertEquals(2, cli.run("models", "status", "--no-such-option").exit());
    assertEquals(2, cli.run("models", "auth", "add-key").exit(), "--provider is required");
    assertEquals(2, cli.runRaw(new java.io.ByteArrayInputStream(new byte[0])).exit(), "no command");
  }

  @Test
  void unknownAgent_everyAgentCommand_namesTheCommandToRun() {
    String[][] commands = {
      {"models", "auth", "add-key", "--provider", "openrouter", "--agent", "ghost"},
      {"models", "auth", "paste-token", "--provider", "custom", "--agent", "ghost"},
      {"models", "auth", "login", "--provider", "openai-codex", "--no-browser", "--agent", "ghost"},
      {"models", "auth", "logout", "openrouter:default", "--agent", "ghost"},
      {"models", "auth", "order", "get", "--provider", "openrouter", "--agent", "ghost"},
      {"profiles", "list", "--agent", "ghost"},
      {"models", "status", "--agent", "ghost"},
    };
    assertEquals(0, cli.run("agents", "add", "main").exit());
    Map<String, String> before = cli.tree();
    for (String[] c : commands) {
      Result r = cli.runWithStdin(KEY + "\n", c);
      assertEquals(2, r.exit(), String.join(" ", c) + "\n" + r);
      assertTrue(r.err().contains("unknown agent ghost"), r.err());
      assertTrue(
          r.err().contains("tokensink agents add ghost"), String.join(" ", c) + ": " + r.err());
    }
    assertEquals(before, cli.tree());
  }

  @Test
  void malformedAgentJson_clearErrorNamingTheFile_fileByteIdentical_otherAgentsStillListed()
      throws Exception {
    assertEquals(
        0,
        cli.runWithStdin(KEY + "\n", "models", "auth", "add-key", "--provider", "openrouter")
            .exit());
    Path bad = cli.agentFile("work", "auth-profiles.json");
    byte[] truncated =
        "{\"version\":1,\"profiles\":{\"openrouter:default\":{\"type\":\"api_key\",\"key\":\"sk-or-v1-trunc"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Files.createDirectories(bad.getParent());
    Files.write(bad, truncated);

    assertEquals("main\nwork\n", cli.run("agents", "list").out());
    assertEquals("openrouter: openrouter:default\n", cli.run("profiles", "list").out());

    for (String[] c :
        new String[][] {
          {"profiles", "list", "--agent", "work"},
          {"models", "auth", "add-key", "--provider", "openrouter", "--agent", "work"},
          {
            "models",
            "auth",
            "order",
            "set",
            "--provider",
            "openrouter",
            "--agent",
            "work",
            "openrouter:default"
          },
          {"models", "status"}
        }) {
      Result r = cli.runWithStdin(KEY + "\n", c);
      assertEquals(1, r.exit(), String.join(" ", c) + "\n" + r);
      assertTrue(
          r.err().contains("agents/work/agent/auth-profiles.json"), "names the file: " + r.err());
      assertFalse(r.err().contains("sk-or-v1-trunc"), "no secret from the file: " + r.err());
      assertArrayEquals(truncated, Files.readAllBytes(bad), "the file is byte-identical");
    }
    Result main = cli.run("models", "status", "--agent", "main");
    assertEquals(0, main.exit(), main.toString());
    assertTrue(main.out().contains("openrouter:default"), main.out());
  }

  @Test
  void anotherProcessHoldsTheAgentLock_waitsThenClearTimeout_fileIntact() throws Exception {
    assertEquals(
        0,
        cli.runWithStdin(KEY + "\n", "models", "auth", "add-key", "--provider", "openrouter")
            .exit());
    cli.config("tokensink:\n  lock-timeout: 1s\n");
    Path file = cli.agentFile("main", "auth-profiles.json");
    byte[] before = Files.readAllBytes(file);
    try (JavaProcess child =
        JavaProcess.start(StoreChild.class, "hold", cli.stateDir.toString(), "main")) {
      assertEquals("ready", child.readLine());
      child.send("go");
      assertEquals("locked", child.readLine());

      long t0 = System.nanoTime();
      Result r =
          cli.runWithStdin(
              KEY + "2\n",
              "models",
              "auth",
              "add-key",
              "--provider",
              "openrouter",
              "--profile",
              "two");
      long waitedMs = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(1, r.exit(), r.toString());
      assertTrue(r.err().contains("agent main is locked by another writer; waited 1 s"), r.err());
      assertTrue(waitedMs >= 900, "waited for the lock first: " + waitedMs + " ms");
      assertArrayEquals(before, Files.readAllBytes(file));
      assertEquals(
          "openrouter: openrouter:default\n",
          cli.run("profiles", "list").out(),
          "readers are not blocked");
    }
    Result after =
        cli.runWithStdin(
            KEY + "2\n",
            "models",
            "auth",
            "add-key",
            "--provider",
            "openrouter",
            "--profile",
            "two");
    assertEquals(0, after.exit(), "the OS released the lock with the process: " + after);
  }

  @Test
  void stateDirHoldingOpenClawSqlite_everyWritingCommandRefuses_readersRead() throws Exception {
    assertEquals(
        0,
        cli.runWithStdin(KEY + "\n", "models", "auth", "add-key", "--provider", "openrouter")
            .exit());
    Files.createDirectories(cli.stateDir.resolve("state"));
    Files.write(cli.stateDir.resolve("state").resolve("openclaw.sqlite"), new byte[] {1, 2, 3});
    Map<String, String> before = cli.tree();
    String[][] writers = {
      {"agents", "add", "work"},
      {"models", "auth", "add-key", "--provider", "openrouter", "--profile", "two"},
      {"models", "auth", "paste-token", "--provider", "custom"},
      {"models", "auth", "setup-token"},
      {"models", "auth", "order", "set", "--provider", "openrouter", "openrouter:default"},
      {"models", "auth", "order", "clear", "--provider", "openrouter"},
      {"models", "auth", "logout", "openrouter:default"},
      {"models", "auth", "login", "--provider", "openai-codex", "--no-browser"},
      {"import", "openclaw", "--from", cli.stateDir.toString()},
      {
        "store",
        "import",
        "--from-state-dir",
        dev.tokensink.testing.Fixtures.copy("openclaw-agents").toString()
      },
    };
    for (String[] c : writers) {
      Result r = cli.runWithStdin("sk-ant-oat01-" + "x".repeat(80) + "\n", c);
      assertEquals(2, r.exit(), String.join(" ", c) + "\n" + r);
      assertTrue(
          r.err().contains("tokensink import openclaw --from"),
          String.join(" ", c) + ": " + r.err());
      assertEquals(before, cli.tree(), String.join(" ", c) + " changed the state dir");
    }
    assertEquals(0, cli.run("profiles", "list").exit());
    assertEquals(0, cli.run("models", "status").exit());
    assertEquals("main\n", cli.run("agents", "list").out());
  }
}
