package dev.tokensink.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokensink.cli.CliHarness.Result;
import dev.tokensink.model.Secret;
import dev.tokensink.store.StoreJson;
import dev.tokensink.testing.Fixtures;
import dev.tokensink.testing.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CLI side of an env-only deployment, damaged and oversized files, kept invalid profiles,
 * reading commands that never write, and options before or after the subcommand.
 */
class StandaloneCliTest {
  static final String KEY = "sk-or-v1-0123456789abcdef0123456789abcdef";
  static final String ENV_KEY = "sk-ant-api03-ENVONLY-0123456789abcdef0123456789";

  final CliHarness cli = CliHarness.fresh(Instant.now().toString());

  @Test
  void stateDirAndAgent_beforeOrAfterTheSubcommand() {
    String dir = cli.stateDir.toString();
    Result before = cli.runRaw(stdin(""), "--state-dir", dir, "agents", "add", "x");
    assertEquals(0, before.exit(), before.toString());
    Result after = cli.runRaw(stdin(""), "agents", "add", "y", "--state-dir", dir);
    assertEquals(0, after.exit(), after.toString());
    Result middle = cli.runRaw(stdin(""), "agents", "--state-dir", dir, "list");
    assertEquals("x\ny\n", middle.out(), middle.toString());

    Result key =
        cli.runRaw(
            stdin(KEY + "\n"),
            "--agent",
            "x",
            "--state-dir",
            dir,
            "models",
            "auth",
            "add-key",
            "--provider",
            "openrouter");
    assertEquals(0, key.exit(), key.toString());
    assertTrue(key.out().contains("in agent x"), key.out());
    Result list = cli.runRaw(stdin(""), "--agent", "x", "profiles", "list", "--state-dir", dir);
    assertTrue(list.out().contains("openrouter:default"), list.toString());
    Result status = cli.runRaw(stdin(""), "--state-dir", dir, "models", "--agent", "y", "status");
    assertFalse(status.out().contains("openrouter:default"), "only agent y: " + status.out());
  }

  @Test
  void envOnly_statusListsEnvProfilesWithSource_andCheckCountsThem() throws IOException {
    cli.config(
        "tokensink:\n  providers:\n    anthropic:\n      authorize-url: http://127.0.0.1:9/a\n"
            + "      token-url: http://127.0.0.1:9/t\n      client-id: c\n");
    Result none = cli.run("models", "status", "--check");
    assertEquals(1, none.exit(), "a configured provider without a key: " + none);

    cli.env.put("ANTHROPIC_API_KEY", ENV_KEY);
    Files.writeString(cli.stateDir.resolve(".env"), "OPENROUTER_API_KEY=" + KEY + "\n");
    Result r = cli.run("models", "status", "--check");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("anthropic:env"), r.out());
    assertTrue(r.out().contains("(env ANTHROPIC_API_KEY)"), r.out());
    assertTrue(r.out().contains("openrouter:env"), r.out());
    assertTrue(r.out().contains("(.env OPENROUTER_API_KEY)"), r.out());
    assertTrue(r.out().startsWith("main "), "the default agent exists without agents add");
    assertFalse(r.out().contains(ENV_KEY) || r.out().contains(KEY), "masked: " + r.out());

    JsonNode json = StoreJson.MAPPER.readTree(cli.run("models", "status", "--json").out());
    JsonNode first = json.get("profiles").get(0);
    assertEquals("anthropic:env", first.get("profileId").asText());
    assertEquals("env ANTHROPIC_API_KEY", first.get("source").asText());
    assertFalse(Files.exists(cli.stateDir.resolve("agents")), "status wrote nothing");
  }

  @Test
  void envKeyWithANewline_notUsed_statusAndDoctorSayWhy() {
    cli.env.put("ANTHROPIC_API_KEY", "sk-ant-api03-abc\ninjected: header");
    Result r = cli.run("models", "status", "--check");
    assertEquals(1, r.exit(), r.toString());
    assertFalse(r.out().contains("anthropic:env"), r.out());
    assertTrue(
        r.out().contains("ANTHROPIC_API_KEY has a line break or another control character"),
        r.out());
    assertFalse(r.out().contains("injected"), "never the value: " + r.out());
    Result d = cli.run("doctor", "--offline");
    assertEquals(1, d.exit(), d.toString());
    assertTrue(d.out().contains("ANTHROPIC_API_KEY has a line break"), d.out());
  }

  @Test
  void dotEnvWithAMalformedLine_otherLinesUsed_lineNamedByNumber() throws IOException {
    Files.writeString(
        cli.stateDir.resolve(".env"),
        "# keys\nOPENROUTER_API_KEY=" + KEY + "\nthis-line-is-sk-secret-garbage\n");
    Result r = cli.run("models", "status", "--check");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.out().contains("openrouter:env"), r.out());
    assertTrue(r.out().contains(".env line 3 is not KEY=value; it is ignored"), r.out());
    assertFalse(r.out().contains("garbage"), "never the line: " + r.out());
  }

  @Test
  void addKey_64KiBPlusOne_refusedExit2_nothingWritten_64KiBStored() {
    Result big =
        cli.runWithStdin(
            "k".repeat(Secret.MAX_BYTES + 1) + "\n",
            "models",
            "auth",
            "add-key",
            "--provider",
            "openrouter");
    assertEquals(2, big.exit(), big.toString());
    assertTrue(
        big.err().contains("API key is 65537 bytes, more than the 65536 bytes (64 KiB)"),
        big.err());
    assertFalse(Files.exists(cli.agentFile("main", "auth-profiles.json")), "nothing written");

    Result fits =
        cli.runWithStdin(
            "k".repeat(Secret.MAX_BYTES) + "\n",
            "models",
            "auth",
            "add-key",
            "--provider",
            "openrouter");
    assertEquals(0, fits.exit(), fits.toString());
    assertEquals(0, cli.run("models", "status", "--check").exit(), "and it reads back");
  }

  @Test
  void overLimitFile_statusNamesIt_doctorNamesTheLogout_whichRepairsIt() throws IOException {
    assertEquals(
        0,
        cli.runWithStdin(KEY + "\n", "models", "auth", "add-key", "--provider", "openrouter")
            .exit());
    // a file an older version wrote: one profile with a 5 MB key (over the 4 MiB file limit)
    Path file = cli.agentFile("main", "auth-profiles.json");
    String huge = "sk-" + "x".repeat(5 << 20);
    addEntries(
        file,
        "{\"anthropic:big\": {\"type\": \"api_key\", \"provider\": \"anthropic\", \"key\": \""
            + huge
            + "\"}}");
    byte[] damaged = Files.readAllBytes(file);

    Result status = cli.run("models", "status");
    assertEquals(1, status.exit(), status.out());
    assertTrue(status.err().contains(file.toString()), status.err());
    assertTrue(status.err().contains("more than tokensink.store.max-file-size"), status.err());

    Result doctor = cli.run("doctor", "--offline");
    assertEquals(1, doctor.exit(), doctor.toString());
    String command =
        "tokensink models auth logout anthropic:big --agent main --state-dir " + cli.stateDir;
    assertTrue(doctor.out().contains("repair it with `" + command + "`"), doctor.out());
    assertArrayEquals(damaged, Files.readAllBytes(file), "status and doctor wrote nothing");

    Result logout = cli.run("models", "auth", "logout", "anthropic:big");
    assertEquals(0, logout.exit(), logout.toString());
    Result after = cli.run("models", "status", "--check");
    assertEquals(0, after.exit(), after.toString());
    assertTrue(after.out().contains("openrouter:default"), after.out());
  }

  @Test
  void invalidProfiles_keptOnEveryWrite_shownInvalid_doctorExits1() throws IOException {
    assertEquals(
        0,
        cli.runWithStdin(KEY + "\n", "models", "auth", "add-key", "--provider", "openrouter")
            .exit());
    Path file = cli.agentFile("main", "auth-profiles.json");
    addEntries(
        file,
        "{\"anthropic:future\": {\"type\": \"passkey\"},"
            + " \"anthropic:num\": {\"type\": \"api_key\", \"key\": 12345},"
            + " \"not an id\": {\"type\": \"api_key\", \"key\": \"k\"}}");

    Result status = cli.run("models", "status", "--check");
    assertEquals(1, status.exit(), status.toString());
    assertTrue(
        status.out().contains("invalid (profile anthropic:future has unknown type 'passkey')"),
        status.out());
    assertTrue(status.out().contains("anthropic:num: key is not a string"), status.out());
    assertTrue(status.out().contains("not an id"), status.out());

    Result doctor = cli.run("doctor", "--offline");
    assertEquals(1, doctor.exit(), doctor.toString());
    assertTrue(doctor.out().contains("profile anthropic:future is invalid"), doctor.out());
    assertTrue(
        doctor
            .out()
            .contains("tokensink models auth logout anthropic:num --agent main --state-dir"),
        doctor.out());

    // a write of something else keeps all three entries
    assertEquals(
        0,
        cli.runWithStdin(
                KEY + "\n",
                "models",
                "auth",
                "add-key",
                "--provider",
                "openrouter",
                "--profile",
                "two")
            .exit());
    JsonNode profiles = StoreJson.MAPPER.readTree(file.toFile()).get("profiles");
    assertTrue(
        profiles.has("anthropic:future") && profiles.has("anthropic:num"), profiles.toString());
    assertTrue(profiles.has("not an id") && profiles.has("openrouter:two"), profiles.toString());

    Result logout = cli.run("models", "auth", "logout", "anthropic:num");
    assertEquals(0, logout.exit(), logout.toString());
    assertFalse(StoreJson.MAPPER.readTree(file.toFile()).get("profiles").has("anthropic:num"));
  }

  @Test
  void readingCommands_leaveEveryFileByteIdentical_legacyImportWaitsForAWrite() throws Exception {
    CliHarness fx =
        new CliHarness(Fixtures.copy("openclaw-agents"), MutableClock.at("2026-11-23T18:00:00Z"));
    Map<String, String> before = checksums(fx.stateDir);
    for (String[] c :
        new String[][] {
          {"models", "status"},
          {"models", "status", "--agent", "legacy", "--json"},
          {"profiles", "list", "--agent", "legacy"},
          {"doctor", "--offline"},
          {"agents", "list"}
        }) {
      Result r = fx.run(c);
      assertEquals(before, checksums(fx.stateDir), String.join(" ", c) + " wrote: " + r);
    }
    Result shown = fx.run("profiles", "list", "--agent", "legacy");
    assertTrue(shown.out().contains("anthropic:default"), "read shows the import: " + shown);
    Result write = fx.run("agents", "add", "legacy");
    assertEquals(0, write.exit(), write.toString());
    assertTrue(Files.exists(fx.agentFile("legacy", "auth-profiles.json")), "imported on a write");
    assertFalse(Files.exists(fx.agentFile("legacy", "auth.json")), "and renamed aside");
  }

  @Test
  void orderSet_duplicateNamed() {
    assertEquals(
        0,
        cli.runWithStdin(KEY + "\n", "models", "auth", "add-key", "--provider", "openrouter")
            .exit());
    Result r =
        cli.run(
            "models",
            "auth",
            "order",
            "set",
            "--provider",
            "openrouter",
            "openrouter:default",
            "openrouter:default");
    assertEquals(2, r.exit(), r.toString());
    assertTrue(
        r.err().contains("profile openrouter:default is listed twice"), "names it: " + r.err());
  }

  /** Adds raw profile entries to a stored file, as another program (or an older version) would. */
  private static void addEntries(Path file, String entriesJson) throws IOException {
    var root =
        (com.fasterxml.jackson.databind.node.ObjectNode) StoreJson.MAPPER.readTree(file.toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("profiles"))
        .setAll(
            (com.fasterxml.jackson.databind.node.ObjectNode)
                StoreJson.MAPPER.readTree(entriesJson));
    Files.write(file, StoreJson.bytes(root));
  }

  private static java.io.InputStream stdin(String s) {
    return new java.io.ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  static Map<String, String> checksums(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.toList()) {
        String rel = dir.relativize(p).toString();
        out.put(
            rel,
            Files.isDirectory(p)
                ? "dir"
                : HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    }
    return out;
  }
}
