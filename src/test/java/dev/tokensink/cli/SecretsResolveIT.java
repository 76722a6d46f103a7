package dev.tokensink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import dev.tokensink.security.Callers;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import dev.tokensink.testing.ReplicaProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/tokensink secrets resolve} as OpenClaw's exec provider runs it: a separate process
 * with the request on stdin, asking the packaged service (a second process) with the caller token
 * from {@code TOKENSINK_TOKEN}. Protocol cases: valid ids, an unknown id, malformed JSON, a wrong
 * protocolVersion, an OAuth profile, a caller not allowed to see an agent.
 */
class SecretsResolveIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "sk-ant-api03-resolve-it-key-3c0f9e";
  private static final String TOKEN = "tsk_resolve_it_caller_b71e2a";
  private static final String ACCESS = "oauth-access-resolve-it-71aa90c2";
  private static Path state;
  private static ReplicaProcess service;

  record Run(int exit, String stdout, String stderr, long millis) {}

  @BeforeAll
  static void startService() throws Exception {
    state = Files.createTempDirectory("tokensink-resolve-");
    try (FileStore store = new FileStore(FileStoreSettings.of(state), Clock.systemUTC())) {
      store.update(
          AgentId.of("main"),
          tx -> {
            tx.write(
                tx.current()
                    .withProfile(
                        Profile.of(
                            ProfileId.parse("anthropic:work"),
                            new Credential.ApiKey(Secret.of(KEY), null, null)))
                    .withProfile(
                        Profile.of(
                            ProfileId.parse("openai-codex:me"),
                            new Credential.OAuth(
                                Secret.of(ACCESS),
                                Secret.of("oauth-refresh-resolve-it-55"),
                                System.currentTimeMillis() + 86_400_000L,
                                "acct-1",
                                null))));
            return null;
          });
      store.update(
          AgentId.of("secret"),
          tx -> {
            tx.write(
                tx.current()
                    .withProfile(
                        Profile.of(
                            ProfileId.parse("openai:default"),
                            new Credential.ApiKey(
                                Secret.of("sk-proj-not-for-this-caller-01"), null, null))));
            return null;
          });
    }
    service =
        ReplicaProcess.start(
            "resolve",
            Map.of(
                "tokensink.state-dir",
                state.toString(),
                "tokensink.jobs.interval",
                "1h",
                "tokensink.callers.openclaw.token-sha256",
                Callers.sha256Hex(TOKEN),
                "tokensink.callers.openclaw.agents",
                "main"));
    service.awaitReadiness(200, Duration.ofSeconds(90));
    resolve("{\"protocolVersion\":1,\"provider\":\"tokensink\",\"ids\":[\"main/anthropic\"]}");
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
  }

  private static Run resolve(String stdin) throws Exception {
    Path launcher = Path.of("bin", "tokensink").toAbsolutePath();
    ProcessBuilder pb =
        new ProcessBuilder(
            launcher.toString(),
            "secrets",
            "resolve",
            "--state-dir",
            state.toString(),
            "--service",
            "127.0.0.1:" + service.grpcPort(),
            "--timeout",
            "30s"); // a loaded CI machine: the protocol is under test here, not the speed
    pb.environment().put("TOKENSINK_TOKEN", TOKEN);
    pb.environment()
        .put(
            "TOKENSINK_APP_DIR",
            Path.of(System.getProperty("tokensink.app.dir", "target/quarkus-app"))
                .toAbsolutePath()
                .toString());
    long start = System.nanoTime();
    Process p = pb.start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("secrets resolve did not finish");
    }
    return new Run(p.exitValue(), out, err, (System.nanoTime() - start) / 1_000_000);
  }

  private static JsonNode json(Run r) throws IOException {
    assertEquals(1, r.stdout().strip().lines().count(), "one JSON line on stdout: " + r.stdout());
    return JSON.readTree(r.stdout());
  }

  @Test
  void validIds_valuesFromTheService() throws Exception {
    Run r =
        resolve(
            "{\"protocolVersion\":1,\"provider\":\"tokensink\","
                + "\"ids\":[\"main/anthropic\",\"main/anthropic/anthropic:work\"]}");
    assertEquals(0, r.exit(), r.stderr());
    JsonNode out = json(r);
    assertEquals(1, out.get("protocolVersion").asInt());
    assertEquals(KEY, out.path("values").path("main/anthropic").asText());
    assertEquals(KEY, out.path("values").path("main/anthropic/anthropic:work").asText());
    assertTrue(out.path("errors").isMissingNode(), r.stdout());
    System.out.println("secrets resolve, warm: " + r.millis() + " ms");
  }

  @Test
  void unknownId_notFound_exit0() throws Exception {
    Run r =
        resolve(
            "{\"protocolVersion\":1,\"provider\":\"tokensink\","
                + "\"ids\":[\"main/openrouter\",\"main/anthropic/anthropic:nope\",\"bad id\"]}");
    assertEquals(0, r.exit(), r.stderr());
    JsonNode out = json(r);
    assertEquals("NOT_FOUND", out.path("errors").path("main/openrouter").path("code").asText());
    assertEquals(
        "NOT_FOUND",
        out.path("errors").path("main/anthropic/anthropic:nope").path("code").asText());
    assertEquals("INVALID_ID", out.path("errors").path("bad id").path("code").asText());
    assertEquals(0, out.path("values").size());
  }

  @Test
  void oauthProfile_errorPointsToTheProxy_noTokenPrinted() throws Exception {
    Run r =
        resolve(
            "{\"protocolVersion\":1,\"provider\":\"tokensink\",\"ids\":[\"main/openai-codex\"]}");
    assertEquals(0, r.exit(), r.stderr());
    JsonNode e = json(r).path("errors").path("main/openai-codex");
    assertEquals("OAUTH_USE_PROXY", e.path("code").asText());
    assertTrue(e.path("message").asText().contains("http://127.0.0.1:9092/main/openai-codex"));
    assertFalse(r.stdout().contains(ACCESS) || r.stderr().contains(ACCESS));
  }

  @Test
  void agentTheCallerMayNotUse_permissionDenied() throws Exception {
    Run r =
        resolve("{\"protocolVersion\":1,\"provider\":\"tokensink\",\"ids\":[\"secret/openai\"]}");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals(
        "PERMISSION_DENIED", json(r).path("errors").path("secret/openai").path("code").asText());
    assertFalse(r.stdout().contains("sk-proj-not-for-this-caller-01"));
  }

  @Test
  void malformedJson_exit2_nothingOnStdout() throws Exception {
    Run r = resolve("{\"protocolVersion\":1,\"ids\":[\"main/anthropic\"");
    assertEquals(2, r.exit());
    assertEquals("", r.stdout());
    assertTrue(r.stderr().contains("not JSON"), r.stderr());
  }

  @Test
  void wrongProtocolVersion_exit2_nothingOnStdout() throws Exception {
    Run r =
        resolve("{\"protocolVersion\":2,\"provider\":\"tokensink\",\"ids\":[\"main/anthropic\"]}");
    assertEquals(2, r.exit());
    assertEquals("", r.stdout());
    assertTrue(r.stderr().contains("protocol version 1"), r.stderr());
  }
}
