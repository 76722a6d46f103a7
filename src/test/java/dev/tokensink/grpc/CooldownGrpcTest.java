package dev.tokensink.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Duration;
import dev.tokensink.api.v1.Credential;
import dev.tokensink.api.v1.CredentialBrokerGrpc;
import dev.tokensink.api.v1.ExpiryEvent;
import dev.tokensink.api.v1.GetCredentialRequest;
import dev.tokensink.api.v1.Outcome;
import dev.tokensink.api.v1.ReportOutcomeRequest;
import dev.tokensink.api.v1.ReportOutcomeResponse;
import dev.tokensink.api.v1.StreamExpiryEventsRequest;
import dev.tokensink.cache.AgentCache;
import dev.tokensink.config.Settings;
import dev.tokensink.events.EventHub;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import dev.tokensink.testing.StrictProviderProfile;
import dev.tokensink.testing.TestProducers;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md §4 through the gRPC surface, with the service's clock moved by the test: the ladder
 * climbs across windows and an OK resets it, auth_permanent on a key, two models cooled
 * independently, the half-open probe taken by exactly one of many concurrent requests,
 * COOLDOWN_ENDED when a window runs out, pins to a vanished profile, and the bad inputs of
 * ReportOutcome.
 */
@QuarkusTest
@TestProfile(StrictProviderProfile.class)
class CooldownGrpcTest {
  @Inject Settings settings;
  @Inject AgentCache cache;
  @Inject EventHub hub;

  @GrpcClient("broker")
  CredentialBrokerGrpc.CredentialBrokerBlockingStub broker;

  private void seed(String agent, String... names) {
    try (FileStore store =
        new FileStore(FileStoreSettings.of(settings.stateDir()), TestProducers.CLOCK)) {
      store.update(
          AgentId.of(agent),
          tx -> {
            var s = tx.current();
            List<ProfileId> order = new ArrayList<>();
            for (String n : names) {
              ProfileId id = ProfileId.parse("anthropic:" + n);
              s =
                  s.withProfile(
                      Profile.of(
                          id,
                          new dev.tokensink.model.Credential.ApiKey(
                              Secret.of("sk-ant-api03-key-" + n + "-000000000000"),
                              null,
                              Map.of())));
              order.add(id);
            }
            tx.write(s.withOrder("anthropic", order));
            return null;
          });
    }
    cache.load(AgentId.of(agent));
  }

  private Credential get(String agent, String session, String model) {
    return broker.getCredential(
        GetCredentialRequest.newBuilder()
            .setAgent(agent)
            .setProvider("anthropic")
            .setSessionId(session)
            .setModel(model)
            .build());
  }

  private ReportOutcomeResponse report(
      String agent, String profile, Outcome outcome, Long retryAfterSeconds, String model) {
    ReportOutcomeRequest.Builder b =
        ReportOutcomeRequest.newBuilder()
            .setAgent(agent)
            .setProfileId(profile)
            .setOutcome(outcome)
            .setModel(model == null ? "" : model);
    if (retryAfterSeconds != null) {
      b.setRetryAfter(Duration.newBuilder().setSeconds(retryAfterSeconds));
    }
    return broker.reportOutcome(b.build());
  }

  private static long inSeconds(long s) {
    return TestProducers.CLOCK.instant().plusSeconds(s).getEpochSecond();
  }

  private static void after(ReportOutcomeResponse r) {
    TestProducers.CLOCK.set(
        Instant.ofEpochSecond(r.getUsableAt().getSeconds(), r.getUsableAt().getNanos())
            .plusSeconds(1));
  }

  @Test
  void rateLimit_windows30s60s120s_onFailuresAfterEachWindowEnded_okResets() {
    seed("c1", "a", "b");
    for (long s : new long[] {30, 60, 120, 240}) {
      ReportOutcomeResponse r = report("c1", "anthropic:a", Outcome.RATE_LIMITED, null, null);
      assertEquals("cooldown", r.getState());
      assertEquals(inSeconds(s), r.getUsableAt().getSeconds(), s + " s window");
      assertEquals("anthropic:b", get("c1", "", "").getProfileId());
      after(r);
      assertEquals("anthropic:a", get("c1", "", "").getProfileId(), "served again after " + s);
    }
    assertEquals("ok", report("c1", "anthropic:a", Outcome.OK, null, null).getState());
    ReportOutcomeResponse r = report("c1", "anthropic:a", Outcome.RATE_LIMITED, null, null);
    assertEquals(inSeconds(30), r.getUsableAt().getSeconds(), "reset by OK");
  }

  @Test
  void authFailedOnApiKey_disabled10MinutesThen20Minutes() {
    seed("c2", "a", "b");
    ReportOutcomeResponse r = report("c2", "anthropic:a", Outcome.AUTH_FAILED, null, null);
    assertEquals("disabled", r.getState());
    assertEquals(inSeconds(600), r.getUsableAt().getSeconds());
    assertEquals("anthropic:b", get("c2", "", "").getProfileId());
    after(r);
    assertEquals("anthropic:a", get("c2", "", "").getProfileId());
    r = report("c2", "anthropic:a", Outcome.AUTH_FAILED, null, null);
    assertEquals("disabled", r.getState());
    assertEquals(inSeconds(1200), r.getUsableAt().getSeconds());
  }

  @Test
  void twoModelsOfOneProfile_cooledIndependently() {
    seed("c3", "a", "b");
    ReportOutcomeResponse opus = report("c3", "anthropic:a", Outcome.RATE_LIMITED, null, "opus");
    assertEquals("cooldown", opus.getState(), "the model named in the report is cooling");
    assertEquals(inSeconds(30), opus.getUsableAt().getSeconds());
    TestProducers.CLOCK.advance(java.time.Duration.ofSeconds(10));
    report("c3", "anthropic:a", Outcome.RATE_LIMITED, null, "sonnet");
    assertEquals("anthropic:b", get("c3", "", "opus").getProfileId());
    assertEquals("anthropic:b", get("c3", "", "Sonnet").getProfileId());
    assertEquals("anthropic:a", get("c3", "", "haiku").getProfileId(), "a third model served");
    TestProducers.CLOCK.advance(java.time.Duration.ofSeconds(21)); // opus's 30 s are over
    assertEquals("anthropic:a", get("c3", "", "opus").getProfileId(), "opus back at 30 s");
    assertEquals("anthropic:b", get("c3", "", "sonnet").getProfileId(), "sonnet still cooling");
    TestProducers.CLOCK.advance(java.time.Duration.ofSeconds(10));
    assertEquals("anthropic:a", get("c3", "", "sonnet").getProfileId());
  }

  @Test
  void usageLimit_manyConcurrentRequests_exactlyOneProbePerInterval() throws Exception {
    seed("c4", "a", "b");
    report("c4", "anthropic:a", Outcome.USAGE_LIMIT, 3L * 3600, null);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      for (int interval = 0; interval < 3; interval++) {
        int got = countServedBy(pool, "c4", "anthropic:a", 48);
        assertEquals(0, got, "before the probe interval: nobody gets the blocked profile");
        TestProducers.CLOCK.advance(java.time.Duration.ofMinutes(5));
        got = countServedBy(pool, "c4", "anthropic:a", 48);
        assertEquals(1, got, "interval " + interval + ": exactly one probe");
      }
      assertEquals("ok", report("c4", "anthropic:a", Outcome.OK, null, null).getState());
      assertEquals(48, countServedBy(pool, "c4", "anthropic:a", 48), "OK ends the block");
    } finally {
      pool.shutdownNow();
    }
  }

  private int countServedBy(ExecutorService pool, String agent, String profile, int requests)
      throws Exception {
    List<Callable<String>> calls = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      calls.add(() -> get(agent, "", "").getProfileId());
    }
    int n = 0;
    for (Future<String> f : pool.invokeAll(calls)) {
      if (f.get().equals(profile)) {
        n++;
      }
    }
    return n;
  }

  @Test
  void usageLimit_probeFailsAgain_newBlock() {
    seed("c5", "a", "b");
    report("c5", "anthropic:a", Outcome.USAGE_LIMIT, 3L * 3600, null);
    TestProducers.CLOCK.advance(java.time.Duration.ofMinutes(5));
    assertEquals("anthropic:a", get("c5", "", "").getProfileId(), "the probe");
    ReportOutcomeResponse r = report("c5", "anthropic:a", Outcome.USAGE_LIMIT, 7200L, null);
    assertEquals("disabled", r.getState());
    assertEquals(inSeconds(300), r.getUsableAt().getSeconds(), "next probe in 5 min");
    assertEquals("anthropic:b", get("c5", "", "").getProfileId());
  }

  @Test
  void windowRunsOut_cooldownEndedOnTheStream() {
    seed("c6", "a", "b");
    Iterator<ExpiryEvent> events =
        broker
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .streamExpiryEvents(StreamExpiryEventsRequest.newBuilder().setAgent("c6").build());
    report("c6", "anthropic:a", Outcome.RATE_LIMITED, null, "opus");
    report("c6", "anthropic:a", Outcome.OVERLOADED, null, null);
    ExpiryEvent started = next(events, ExpiryEvent.Type.COOLDOWN_STARTED);
    assertTrue(started.getReason().contains("model opus"), started.getReason());
    next(events, ExpiryEvent.Type.COOLDOWN_STARTED);
    TestProducers.CLOCK.advance(java.time.Duration.ofSeconds(31));
    hub.tick(cache.snapshots()); // what the scheduler does every second
    hub.tick(cache.snapshots()); // a second tick announces nothing twice
    ExpiryEvent first = next(events, ExpiryEvent.Type.COOLDOWN_ENDED);
    ExpiryEvent second = next(events, ExpiryEvent.Type.COOLDOWN_ENDED);
    assertEquals("anthropic:a", first.getProfileId());
    List<String> reasons = List.of(first.getReason(), second.getReason());
    assertTrue(
        reasons.stream().anyMatch(x -> x.contains("ran out for model opus")), reasons.toString());
    assertTrue(reasons.stream().anyMatch(x -> x.contains("overloaded")), reasons.toString());
    // an OK on a profile without a running window sends nothing; the next event is the new start
    report("c6", "anthropic:a", Outcome.OK, null, null);
    report("c6", "anthropic:a", Outcome.BILLING, null, null);
    ExpiryEvent again = events.next();
    assertEquals(ExpiryEvent.Type.COOLDOWN_STARTED, again.getType(), again.toString());
    assertTrue(again.getReason().contains("billing"), again.getReason());
  }

  @Test
  void sessionPinnedToRemovedProfile_notFoundNamingTheExistingOnes() {
    seed("c7", "a", "b");
    assertEquals("anthropic:a", get("c7", "chat-1", "").getProfileId());
    try (FileStore store =
        new FileStore(FileStoreSettings.of(settings.stateDir()), TestProducers.CLOCK)) {
      store.update(
          AgentId.of("c7"),
          tx -> {
            tx.write(tx.current().withoutProfile(ProfileId.parse("anthropic:a")));
            return null;
          });
    }
    cache.load(AgentId.of("c7"));
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> get("c7", "chat-1", ""));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertTrue(
        e.getStatus().getDescription().contains("pinned to profile anthropic:a")
            && e.getStatus().getDescription().contains("profiles for anthropic: anthropic:b"),
        e.getStatus().getDescription());
    assertEquals("anthropic:b", get("c7", "chat-2", "").getProfileId(), "other sessions served");
    // the session continues on another profile by naming it
    assertEquals(
        "anthropic:b",
        broker
            .getCredential(
                GetCredentialRequest.newBuilder()
                    .setAgent("c7")
                    .setProvider("anthropic")
                    .setSessionId("chat-1")
                    .setProfileOverride("opus@anthropic:b")
                    .build())
            .getProfileId());
    assertEquals("anthropic:b", get("c7", "chat-1", "").getProfileId());
    // an override naming the removed profile: NOT_FOUND too
    StatusRuntimeException o =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                broker.getCredential(
                    GetCredentialRequest.newBuilder()
                        .setAgent("c7")
                        .setProvider("anthropic")
                        .setProfileOverride("anthropic:a")
                        .build()));
    assertEquals(Status.Code.NOT_FOUND, o.getStatus().getCode());
    assertTrue(o.getStatus().getDescription().contains("anthropic:b"));
  }

  @Test
  void retryAfter_zero_100years_negative() throws Exception {
    seed("c8", "a", "b");
    ReportOutcomeResponse zero = report("c8", "anthropic:a", Outcome.RATE_LIMITED, 0L, null);
    assertEquals(inSeconds(30), zero.getUsableAt().getSeconds(), "zero: the ladder's 30 s");
    after(zero);
    ReportOutcomeResponse century =
        report("c8", "anthropic:a", Outcome.RATE_LIMITED, 100L * 365 * 24 * 3600, null);
    assertEquals(inSeconds(24 * 3600), century.getUsableAt().getSeconds(), "capped at 24 h");
    after(century);
    ReportOutcomeResponse quota =
        report("c8", "anthropic:b", Outcome.USAGE_LIMIT, 100L * 365 * 24 * 3600, null);
    assertEquals(inSeconds(300), quota.getUsableAt().getSeconds(), "first probe in 5 min");
    Path state = settings.stateDir().resolve("agents/c8/agent/auth-state.json");
    byte[] before = Files.readAllBytes(state);
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> report("c8", "anthropic:a", Outcome.RATE_LIMITED, -1L, null));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("retry_after"));
    assertTrue(Arrays.equals(before, Files.readAllBytes(state)), "nothing written");
  }

  @Test
  void unknownOutcomeNumber_and10000ByteModel_invalidArgument_nothingWritten() throws Exception {
    seed("c9", "a", "b");
    report("c9", "anthropic:a", Outcome.TIMEOUT, null, null);
    Path state = settings.stateDir().resolve("agents/c9/agent/auth-state.json");
    byte[] before = Files.readAllBytes(state);
    StatusRuntimeException unknown =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                broker.reportOutcome(
                    ReportOutcomeRequest.newBuilder()
                        .setAgent("c9")
                        .setProfileId("anthropic:a")
                        .setOutcomeValue(4242)
                        .build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, unknown.getStatus().getCode());
    assertTrue(unknown.getStatus().getDescription().contains("4242"));
    String huge = "m".repeat(10_000);
    StatusRuntimeException model =
        assertThrows(
            StatusRuntimeException.class,
            () -> report("c9", "anthropic:a", Outcome.RATE_LIMITED, null, huge));
    assertEquals(Status.Code.INVALID_ARGUMENT, model.getStatus().getCode());
    assertTrue(model.getStatus().getDescription().contains("model"));
    assertFalse(model.getStatus().getDescription().contains("mmmmmmmm"), "value not echoed");
    StatusRuntimeException getModel =
        assertThrows(StatusRuntimeException.class, () -> get("c9", "", huge));
    assertEquals(Status.Code.INVALID_ARGUMENT, getModel.getStatus().getCode());
    assertTrue(Arrays.equals(before, Files.readAllBytes(state)), "nothing written");
    assertEquals("anthropic:a", get("c9", "", "").getProfileId());
  }

  private static ExpiryEvent next(Iterator<ExpiryEvent> events, ExpiryEvent.Type type) {
    while (events.hasNext()) {
      ExpiryEvent e = events.next();
      if (e.getType() == type) {
        return e;
      }
    }
    throw new AssertionError("stream ended before a " + type + " event");
  }
}
