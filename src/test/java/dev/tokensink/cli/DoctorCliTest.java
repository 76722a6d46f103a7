package dev.tokensink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.cli.CliHarness.Result;
import dev.tokensink.testing.MutableClock;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code doctor}: exit 0 on a healthy state dir, 1 with a FAIL line naming each problem. */
class DoctorCliTest {
  static final String KEY = "sk-or-v1-0123456789abcdef0123456789abcdef";
  static final String REFRESH = "refresh-SECRET-0123456789abcdef";

  CliHarness cli;
  ServerSocket tokenEndpoint;

  @BeforeEach
  void healthyDir() throws Exception {
    // doctor compares file times with the clock, so this clock starts at the real now
    cli = CliHarness.fresh(Instant.now().toString());
    tokenEndpoint = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    cli.config(
        provider("strict", "http://127.0.0.1:" + tokenEndpoint.getLocalPort() + "/oauth/token"));
    Files.setPosixFilePermissions(
        cli.stateDir.resolve("config.yaml"), PosixFilePermissions.fromString("rw-------"));
    assertEquals(
        0,
        cli.runWithStdin(KEY + "\n", "models", "auth", "add-key", "--provider", "openrouter")
            .exit());
    assertEquals(0, cli.run("agents", "add", "work").exit());
  }

  @AfterEach
  void close() throws Exception {
    tokenEndpoint.close();
  }

  static String provider(String id, String tokenUrl) {
    return "tokensink:\n  providers:\n    "
        + id
        + ":\n      authorize-url: http://127.0.0.1:9/authorize\n"
        + "      token-url: "
        + tokenUrl
        + "\n      client-id: c\n      redirect-uri: http://127.0.0.1:1455/cb\n";
  }

  Result doctor(int expectedExit) {
    Result r = cli.run("doctor");
    assertEquals(expectedExit, r.exit(), r.toString());
    assertFalse(
        r.all().contains(KEY) || r.all().contains(REFRESH), "no secret in doctor output: " + r);
    return r;
  }

  void oauthProfile(String agent, String id, String refresh) throws Exception {
    Path f = cli.agentFile(agent, "auth-profiles.json");
    cli.write(
        f,
        "{\"version\":1,\"profiles\":{\""
            + id
            + "\":{\"type\":\"oauth\",\"provider\":\"strict\","
            + "\"access\":\"access-0123456789abcdef\",\"refresh\":\""
            + refresh
            + "\",\"expires\":"
            + (cli.clock.millis() + 3600_000)
            + "},\"openrouter:default\":{\"type\":\"api_key\",\"provider\":\"openrouter\",\"key\":\""
            + KEY
            + "\"}}}");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void healthyDir_exit0() throws Exception {
    oauthProfile("main", "strict:me", REFRESH);
    Result r = doctor(0);
    assertTrue(r.out().contains("ok    agent main: 2 profile(s), files parse"), r.out());
    assertTrue(r.out().contains("ok    token endpoint of strict reachable"), r.out());
    assertTrue(r.out().endsWith("no problems found\n"), r.out());
  }

  @Test
  void fileReadableByOthers_fails_namingTheFileAndTheFix() throws Exception {
    Path f = cli.agentFile("main", "auth-profiles.json");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    Result r = doctor(1);
    assertTrue(
        r.out()
            .contains(
                "FAIL  "
                    + f
                    + " is readable or writable by others (rw-r--r--); `serve` refuses such a state dir: run chmod -R go-rwx"),
        r.out());
  }

  @Test
  void invalidJson_fails_namingTheFile_fileUntouched() throws Exception {
    Path f = cli.agentFile("work", "auth-profiles.json");
    Files.writeString(f, "{\"version\":1,\"profiles\":{");
    Result r = doctor(1);
    assertTrue(
        r.out()
            .contains(
                "FAIL  agent work: " + f + " ends unexpectedly (truncated?) at line 1, column 26"),
        r.out());
    assertTrue(
        r.out().contains("ok    agent main"), "the other agent is still checked: " + r.out());
    assertEquals("{\"version\":1,\"profiles\":{", Files.readString(f));
  }

  @Test
  void clockBefore2025_fails() {
    cli.clock.set(Instant.parse("2020-01-01T00:00:00Z"));
    assertTrue(doctor(1).out().contains("FAIL  the system clock says 2020-01-01T00:00:00Z"));
  }

  @Test
  void stateFileFromTheFuture_fails() {
    cli.clock.advance(Duration.ofHours(-1)); // the files were written an hour "after now"
    assertTrue(doctor(1).out().contains("the clock may have jumped back"));
  }

  @Test
  void sameRefreshTokenInTwoAgents_fails_withoutPrintingIt() throws Exception {
    oauthProfile("main", "strict:me", REFRESH);
    oauthProfile("work", "strict:copy", REFRESH);
    Result r = doctor(1);
    assertTrue(
        r.out().contains("the same refresh token is stored in main/strict:me and work/strict:copy"),
        r.out());
  }

  @Test
  void sameRefreshTokenInTwoProfilesOfOneAgent_fails() throws Exception {
    Path f = cli.agentFile("main", "auth-profiles.json");
    String p =
        "{\"type\":\"oauth\",\"provider\":\"strict\",\"access\":\"a-0123456789abcdef\",\"refresh\":\""
            + REFRESH
            + "\",\"expires\":1}";
    cli.write(f, "{\"version\":1,\"profiles\":{\"strict:a\":" + p + ",\"strict:b\":" + p + "}}");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    assertTrue(
        doctor(1)
            .out()
            .contains("the same refresh token is stored in main/strict:a and main/strict:b"));
  }

  @Test
  void unreachableTokenEndpoint_fails_butOfflineSkipsTheCheck() throws Exception {
    tokenEndpoint.close(); // nothing listens there any more
    Result r = doctor(1);
    assertTrue(
        r.out()
            .contains(
                "FAIL  token endpoint of strict (127.0.0.1:"
                    + tokenEndpoint.getLocalPort()
                    + ") is not reachable"),
        r.out());
    assertEquals(0, cli.run("doctor", "--offline").exit());
  }

  @Test
  void profileNeedingReauth_fails_namingTheLoginCommand() throws Exception {
    oauthProfile("main", "strict:me", REFRESH);
    Path s = cli.agentFile("main", "auth-state.json");
    cli.write(
        s,
        "{\"version\":1,\"reauth\":{\"strict:me\":{\"reason\":\"refresh token revoked\",\"at\":1}}}");
    Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rw-------"));
    assertTrue(
        doctor(1).out().contains("tokensink models auth login --provider strict --agent main"));
  }

  @Test
  void missingStateDir_fails() throws Exception {
    CliHarness none =
        new CliHarness(cli.stateDir.resolve("nope"), MutableClock.at(Instant.now().toString()));
    Result r = none.run("doctor");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.out().contains("does not exist"), r.out());
    assertFalse(Files.exists(none.stateDir), "doctor creates nothing");
  }
}
