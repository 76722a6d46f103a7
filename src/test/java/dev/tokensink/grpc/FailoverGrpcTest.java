package dev.tokensink.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Duration;
import dev.tokensink.api.v1.CredentialBrokerGrpc;
import dev.tokensink.api.v1.ExpiryEvent;
import dev.tokensink.api.v1.GetCredentialRequest;
import dev.tokensink.api.v1.Outcome;
import dev.tokensink.api.v1.ReportOutcomeRequest;
import dev.tokensink.api.v1.ReportOutcomeResponse;
import dev.tokensink.api.v1.StreamExpiryEventsRequest;
import dev.tokensink.config.Settings;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.Credential;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Failover and failback as outcomes are reported, session stickiness, and ReportOutcome's bad
 * input.
 */
@QuarkusTest
@TestProfile(StrictProviderProfile.class)
class FailoverGrpcTest {
  @Inject Settings settings;
  @Inject dev.tokensink.cache.AgentCache cache;

  @GrpcClient("broker")
  CredentialBrokerGrpc.CredentialBrokerBlockingStub broker;

  private void seedTwoKeys(String agent) {
    try (FileStore store =
        new FileStore(FileStoreSettings.of(settings.stateDir()), TestProducers.CLOCK)) {
      store.update(
          AgentId.of(agent),
          tx -> {
            var s =
                tx.current()
                    .withProfile(
                        Profile.of(
                            ProfileId.parse("anthropic:a"),
                            new Credential.ApiKey(
                                Secret.of("sk-ant-api03-key-A-000000000000"), null, Map.of())))
                    .withProfile(
                        Profile.of(
                            ProfileId.parse("anthropic:b"),
                            new Credential.ApiKey(
                                Secret.of("sk-ant-api03-key-B-000000000000"), null, Map.of())))
                    .withOrder(
                        "anthropic",
                        List.of(ProfileId.parse("anthropic:a"), ProfileId.parse("anthropic:b")));
            tx.write(s);
            return null;
          });
    }
    // another process wrote the agent; the service's watcher would notice within its poll interval,
    // the test makes the cache re-read now
    cache.load(AgentId.of(agent));
  }

  private String get(String agent, String session) {
    return broker
        .getCredential(
            GetCredentialRequest.newBuilder()
                .setAgent(agent)
                .setProvider("anthropic")
                .setSessionId(session)
                .build())
        .getProfileId();
  }

  private ReportOutcomeResponse report(String agent, String profile, Outcome outcome) {
    return broker.reportOutcome(
        ReportOutcomeRequest.newBuilder()
            .setAgent(agent)
            .setProfileId(profile)
            .setOutcome(outcome)
            .build());
  }

  @Test
  void rateLimited_failsOverToNextProfile_andFailsBackAfterCooldown() {
    seedTwoKeys("f1");
    Iterator<ExpiryEvent> events =
        broker
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .streamExpiryEvents(StreamExpiryEventsRequest.newBuilder().setAgent("f1").build());
    assertEquals("anthropic:a", get("f1", ""));
    ReportOutcomeResponse r = report("f1", "anthropic:a", Outcome.RATE_LIMITED);
    assertEquals("cooldown", r.getState());
    assertEquals(
        TestProducers.CLOCK.instant().plusSeconds(30).getEpochSecond(),
        r.getUsableAt().getSeconds());
    assertEquals("anthropic:b", get("f1", ""));
    ExpiryEvent started = next(events, ExpiryEvent.Type.COOLDOWN_STARTED);
    assertEquals("anthropic:a", started.getProfileId());
    TestProducers.CLOCK.advance(java.time.Duration.ofSeconds(31));
    assertEquals("anthropic:a", get("f1", ""));
  }

  @Test
  void session_keepsItsProfile_untilItFails() {
    seedTwoKeys("f2");
    assertEquals("anthropic:a", get("f2", "chat-1"));
    report("f2", "anthropic:a", Outcome.OVERLOADED);
    assertEquals("anthropic:b", get("f2", "chat-1"));
    TestProducers.CLOCK.advance(java.time.Duration.ofMinutes(10));
    assertEquals("anthropic:b", get("f2", "chat-1"), "the session keeps b while b is usable");
    assertEquals(
        "anthropic:a", get("f2", "chat-2"), "a new session starts at the top of the order");
  }

  @Test
  void billing_disablesFor10Minutes_andOkClears() {
    seedTwoKeys("f3");
    ReportOutcomeResponse r = report("f3", "anthropic:a", Outcome.BILLING);
    assertEquals("disabled", r.getState());
    assertEquals(
        TestProducers.CLOCK.instant().plusSeconds(10 * 60).getEpochSecond(),
        r.getUsableAt().getSeconds());
    assertEquals("anthropic:b", get("f3", ""));
    assertEquals("ok", report("f3", "anthropic:a", Outcome.OK).getState());
    assertEquals("anthropic:a", get("f3", ""));
  }

  @Test
  void everyProfileInCooldown_unavailableNamesTheEarliestTime() {
    seedTwoKeys("f4");
    report("f4", "anthropic:a", Outcome.RATE_LIMITED);
    broker.reportOutcome(
        ReportOutcomeRequest.newBuilder()
            .setAgent("f4")
            .setProfileId("anthropic:b")
            .setOutcome(Outcome.RATE_LIMITED)
            .setRetryAfter(Duration.newBuilder().setSeconds(120))
            .build());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> get("f4", ""));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    String earliest = TestProducers.CLOCK.instant().plusSeconds(30).toString().substring(0, 16);
    assertTrue(e.getStatus().getDescription().contains(earliest), e.getStatus().getDescription());
  }

  @Test
  void reportOutcome_badInput_clearStatusAndNothingWritten() throws Exception {
    seedTwoKeys("f5");
    Path state = settings.stateDir().resolve("agents/f5/agent/auth-state.json");
    byte[] before = Files.exists(state) ? Files.readAllBytes(state) : null;
    assertEquals(
        Status.Code.NOT_FOUND, code(() -> report("f5", "anthropic:nope", Outcome.RATE_LIMITED)));
    assertEquals(
        Status.Code.NOT_FOUND, code(() -> report("ghost", "anthropic:a", Outcome.RATE_LIMITED)));
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        code(() -> report("f5", "anthropic:a", Outcome.OUTCOME_UNSPECIFIED)));
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        code(
            () ->
                broker.reportOutcome(
                    ReportOutcomeRequest.newBuilder()
                        .setAgent("f5")
                        .setProfileId("anthropic:a")
                        .setOutcomeValue(99)
                        .build())));
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        code(
            () ->
                broker.reportOutcome(
                    ReportOutcomeRequest.newBuilder()
                        .setAgent("f5")
                        .setProfileId("anthropic:a")
                        .setOutcome(Outcome.RATE_LIMITED)
                        .setRetryAfter(Duration.newBuilder().setSeconds(-5))
                        .build())));
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        code(() -> report("f5", "not a profile", Outcome.RATE_LIMITED)));
    byte[] after = Files.exists(state) ? Files.readAllBytes(state) : null;
    assertTrue(java.util.Arrays.equals(before, after), "auth-state.json unchanged");
    assertEquals("anthropic:a", get("f5", ""));
  }

  @Test
  void modelScopedRateLimit_otherModelStillServed() {
    seedTwoKeys("f6");
    broker.reportOutcome(
        ReportOutcomeRequest.newBuilder()
            .setAgent("f6")
            .setProfileId("anthropic:a")
            .setOutcome(Outcome.RATE_LIMITED)
            .setModel("opus")
            .build());
    var forOpus =
        broker.getCredential(
            GetCredentialRequest.newBuilder()
                .setAgent("f6")
                .setProvider("anthropic")
                .setModel("opus")
                .build());
    var forSonnet =
        broker.getCredential(
            GetCredentialRequest.newBuilder()
                .setAgent("f6")
                .setProvider("anthropic")
                .setProfileOverride("/model sonnet@anthropic:a")
                .build());
    assertEquals("anthropic:b", forOpus.getProfileId());
    assertEquals("anthropic:a", forSonnet.getProfileId());
    assertEquals("sonnet", forSonnet.getModel());
  }

  private static Status.Code code(org.junit.jupiter.api.function.Executable call) {
    return assertThrows(StatusRuntimeException.class, call).getStatus().getCode();
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
