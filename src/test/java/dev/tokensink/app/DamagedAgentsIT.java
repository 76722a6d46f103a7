package dev.tokensink.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.api.v1.Credential;
import dev.tokensink.api.v1.CredentialBrokerGrpc;
import dev.tokensink.api.v1.ExpiryEvent;
import dev.tokensink.api.v1.GetCredentialRequest;
import dev.tokensink.api.v1.Outcome;
import dev.tokensink.api.v1.ReportOutcomeRequest;
import dev.tokensink.api.v1.ReportOutcomeResponse;
import dev.tokensink.api.v1.StreamExpiryEventsRequest;
import dev.tokensink.testing.ReplicaProcess;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code serve} on a state dir where several agents are damaged in the ways {@code
 * AgentFileFuzzTest} covers in-process (a representative subset: truncated, over the size limit, a
 * symlinked file, a symlinked agent dir, a directory in place of the file, invalid UTF-8) and the
 * default agent has no files at all, only {@code ANTHROPIC_API_KEY} in the environment: it turns
 * ready, serves the good agent and the env key, answers each damaged agent with FAILED_PRECONDITION
 * naming it (no server path), reports them in readiness without going down, logs no stack trace,
 * cools the env profile down on ReportOutcome, leaves every damaged file byte-identical, and serves
 * a repaired agent without a restart.
 */
class DamagedAgentsIT {
  static final String GOOD_KEY = "sk-or-v1-IT-good-0123456789abcdef0123456789";
  static final String ENV_KEY = "sk-ant-api03-IT-envonly-0123456789abcdef0123";

  @TempDir Path state;

  @Test
  void damagedAgentsContained_envOnlyDefaultAgentServed_repairPickedUp() throws Exception {
    writeAgent("good", GOOD_KEY);
    Map<String, Path> damaged = new LinkedHashMap<>();
    damaged.put("trunc", writeAgent("trunc", "sk-or-v1-IT-trunc-0123456789abcdef"));
    Files.write(
        damaged.get("trunc"),
        java.util.Arrays.copyOf(Files.readAllBytes(damaged.get("trunc")), 40));
    damaged.put("big", writeAgent("big", "sk-or-v1-IT-big-0123456789abcdef"));
    Files.writeString(
        damaged.get("big"), "{\"version\":1,\"pad\":\"" + "x".repeat(10 << 20) + "\"}");
    damaged.put("link", writeAgent("link", "sk-or-v1-IT-link-0123456789abcdef"));
    Files.delete(damaged.get("link"));
    Files.createSymbolicLink(damaged.get("link"), Path.of("/etc/passwd"));
    Path elsewhere = Files.createDirectories(state.resolve("elsewhere"));
    damaged.put("linkdir", writeAgent("linkdir", "sk-or-v1-IT-linkdir-0123456789abcdef"));
    Path linkdir = state.resolve("agents/linkdir/agent");
    Files.move(linkdir, elsewhere.resolve("agent"));
    Files.createSymbolicLink(linkdir, elsewhere.resolve("agent"));
    damaged.put("dir", writeAgent("dir", "sk-or-v1-IT-dir-0123456789abcdef"));
    Files.delete(damaged.get("dir"));
    Files.createDirectory(damaged.get("dir"));
    damaged.put("utf8", writeAgent("utf8", "sk-or-v1-IT-utf8-0123456789abcdef"));
    byte[] utf8 = Files.readAllBytes(damaged.get("utf8"));
    utf8[30] = (byte) 0xFF;
    Files.write(damaged.get("utf8"), utf8);
    privateModes();
    Map<String, byte[]> before = new LinkedHashMap<>();
    for (var e : damaged.entrySet()) {
      if (Files.isRegularFile(e.getValue())) {
        before.put(e.getKey(), Files.readAllBytes(e.getValue()));
      }
    }

    try (ReplicaProcess service =
        ReplicaProcess.start(
            "damaged-agents",
            Map.of(
                "tokensink.state-dir", state.toString(), "tokensink.store.watch-interval", "100ms"),
            Map.of("ANTHROPIC_API_KEY", ENV_KEY))) {
      service.awaitReadiness(200, Duration.ofSeconds(90));
      CredentialBrokerGrpc.CredentialBrokerBlockingStub broker = service.broker();

      assertEquals(GOOD_KEY, get(broker, "good", "openrouter").getSecret(), service.log());
      Credential env = get(broker, "", "anthropic");
      assertEquals("anthropic:env", env.getProfileId());
      assertEquals(ENV_KEY, env.getSecret());

      for (String agent : damaged.keySet()) {
        StatusRuntimeException e =
            assertThrows(StatusRuntimeException.class, () -> get(broker, agent, "openrouter"));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), agent);
        String d = e.getStatus().getDescription();
        assertTrue(d.startsWith("agent " + agent + " cannot be served: "), d);
        assertFalse(d.contains(state.toString()), "no server path: " + d);
      }

      String ready = service.httpBody("/q/health/ready");
      assertEquals(200, service.readiness(), ready);
      assertTrue(ready.contains("\"agent-files\""), ready);
      assertTrue(
          java.util.regex.Pattern.compile("\"unreadable\"\\s*:\\s*" + damaged.size() + "\\b")
              .matcher(ready)
              .find(),
          ready);
      for (String agent : damaged.keySet()) {
        assertTrue(ready.contains("agent " + agent), ready);
      }
      assertFalse(ready.contains(state.toString()), "no server path: " + ready);

      // ReportOutcome on the env profile GetCredential just handed out: a revoked key cools down
      ReportOutcomeResponse r =
          broker
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .reportOutcome(
                  ReportOutcomeRequest.newBuilder()
                      .setProfileId("anthropic:env")
                      .setOutcome(Outcome.AUTH_FAILED)
                      .build());
      assertEquals("disabled", r.getState());
      StatusRuntimeException cooled =
          assertThrows(StatusRuntimeException.class, () -> get(broker, "", "anthropic"));
      assertEquals(Status.Code.UNAVAILABLE, cooled.getStatus().getCode());
      assertTrue(
          Files.readString(state.resolve("agents/main/agent/auth-state.json"))
              .contains("anthropic:env"),
          "the env profile's usage state lives in the default agent's auth-state.json");

      String log = service.log();
      assertFalse(log.contains("\tat "), "no stack trace:\n" + log);
      assertTrue(log.contains("agent trunc is not served until its files are repaired"), log);
      assertTrue(log.contains(damaged.get("trunc").toString()), "the log names the file: " + log);

      // repaired by an atomic rename, as an editor or `mv` would: picked up without a restart (the
      // reload announces the profile on the event stream)
      java.util.concurrent.BlockingQueue<ExpiryEvent> events =
          new java.util.concurrent.LinkedBlockingQueue<>();
      service
          .async()
          .streamExpiryEvents(
              StreamExpiryEventsRequest.newBuilder().setAgent("trunc").build(),
              new io.grpc.stub.StreamObserver<>() {
                @Override
                public void onNext(ExpiryEvent e) {
                  events.add(e);
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {}
              });
      Path fixed = state.resolve("agents/trunc/agent/fixed.json");
      Files.writeString(fixed, profiles("sk-or-v1-IT-trunc-repaired-0123456789"));
      Files.setPosixFilePermissions(fixed, PosixFilePermissions.fromString("rw-------"));
      Files.move(fixed, damaged.get("trunc"), StandardCopyOption.ATOMIC_MOVE);
      before.remove("trunc");
      ExpiryEvent added = null;
      while (added == null || added.getType() != ExpiryEvent.Type.PROFILE_ADDED) {
        added = events.poll(30, TimeUnit.SECONDS);
        assertTrue(added != null, "no PROFILE_ADDED for the repaired agent: " + service.log());
      }
      String served = get(broker, "trunc", "openrouter").getSecret();
      assertEquals("sk-or-v1-IT-trunc-repaired-0123456789", served, service.log());
    }
    for (var e : before.entrySet()) {
      assertArrayEquals(
          e.getValue(), Files.readAllBytes(damaged.get(e.getKey())), e.getKey() + " unchanged");
    }
    assertTrue(Files.isSymbolicLink(damaged.get("link")));
    assertTrue(Files.isDirectory(damaged.get("dir")));
  }

  private static Credential get(
      CredentialBrokerGrpc.CredentialBrokerBlockingStub broker, String agent, String provider) {
    return broker
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .getCredential(
            GetCredentialRequest.newBuilder().setAgent(agent).setProvider(provider).build());
  }

  private Path writeAgent(String agent, String key) throws IOException {
    Path dir = Files.createDirectories(state.resolve("agents").resolve(agent).resolve("agent"));
    Path file = dir.resolve("auth-profiles.json");
    Files.writeString(file, profiles(key), StandardCharsets.UTF_8);
    return file;
  }

  private static String profiles(String key) {
    return "{\"version\":1,\"profiles\":{\"openrouter:default\":{\"type\":\"api_key\","
        + "\"provider\":\"openrouter\",\"key\":\""
        + key
        + "\"}}}\n";
  }

  /** 0700 dirs and 0600 files, as tokensink writes them (serve refuses an open state dir). */
  private void privateModes() throws IOException {
    try (Stream<Path> all = Files.walk(state)) {
      for (Path p : all.toList()) {
        if (Files.isSymbolicLink(p)) {
          continue;
        }
        Files.setPosixFilePermissions(
            p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------" : "rw-------"));
      }
    }
  }
}
