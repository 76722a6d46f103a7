package dev.tokensink.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.api.v1.Credential;
import dev.tokensink.api.v1.CredentialBrokerGrpc;
import dev.tokensink.api.v1.ExpiryEvent;
import dev.tokensink.api.v1.GetCredentialRequest;
import dev.tokensink.api.v1.StreamExpiryEventsRequest;
import dev.tokensink.config.Settings;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.Credential.OAuth;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProviderId;
import dev.tokensink.model.Secret;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import dev.tokensink.testing.Gate;
import dev.tokensink.testing.StrictOAuthServer;
import dev.tokensink.testing.StrictProviderProfile;
import dev.tokensink.testing.StrictProviderTest;
import dev.tokensink.testing.TestProducers;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The refresh path end to end: gRPC callers, the service's cache and coordinator, the file store,
 * and a real strict OAuth server (rotating refresh tokens, reuse revokes the grant).
 */
@QuarkusTest
@TestProfile(StrictProviderProfile.class)
class RefreshGrpcTest extends StrictProviderTest {
  @Inject Settings settings;
  @Inject dev.tokensink.cache.AgentCache cache;

  @GrpcClient("broker")
  CredentialBrokerGrpc.CredentialBrokerBlockingStub broker;

  @BeforeEach
  void resetServer() {
    server.reset();
  }

  /**
   * Stores an oauth profile for {@code agent} as another process would, expiring in {@code left}.
   */
  private StrictOAuthServer.TokenPair seed(String agent, String name, Duration left) {
    StrictOAuthServer.TokenPair pair = server.seedGrant();
    ProfileId id = ProfileId.of(ProviderId.of("strict"), name);
    long expires = TestProducers.CLOCK.millis() + left.toMillis();
    try (FileStore store =
        new FileStore(FileStoreSettings.of(settings.stateDir()), TestProducers.CLOCK)) {
      store.update(
          AgentId.of(agent),
          tx -> {
            tx.write(
                tx.current()
                    .withProfile(
                        Profile.of(
                            id,
                            new OAuth(
                                Secret.of(pair.access()),
                                Secret.of(pair.refresh()),
                                expires,
                                "acct-1",
                                null))));
            return null;
          });
    }
    cache.load(AgentId.of(agent)); // as the store watcher would, without waiting for its poll
    return pair;
  }

  private Credential get(String agent) {
    return broker.getCredential(
        GetCredentialRequest.newBuilder().setAgent(agent).setProvider("strict").build());
  }

  @Test
  void getCredential_expiringProfile_refreshedOnceAndPersistedBeforeServing() throws Exception {
    StrictOAuthServer.TokenPair pair = seed("r1", "default", Duration.ofSeconds(10));
    int before = server.refreshCalls();
    Credential c = get("r1");
    assertNotEquals(pair.access(), c.getSecret());
    assertEquals(1, server.refreshCalls() - before);
    assertTrue(
        c.getExpiresAt().getSeconds()
            > TestProducers.CLOCK.instant().plusSeconds(600).getEpochSecond());
    assertEquals(c.getSecret(), get("r1").getSecret());
    assertEquals(1, server.refreshCalls() - before);
    try (FileStore store =
        new FileStore(FileStoreSettings.of(settings.stateDir()), TestProducers.CLOCK)) {
      var stored =
          (OAuth)
              store
                  .read(AgentId.of("r1"))
                  .orElseThrow()
                  .profile(ProfileId.parse("strict:default"))
                  .credential();
      assertEquals(c.getSecret(), stored.access().reveal());
      assertEquals(server.currentRefreshToken(pair.refresh()), stored.refresh().reveal());
    }
    assertEquals(0, server.reusesDetected());
    // the auth.json file sink follows the served credential
    var sink =
        dev.tokensink.store.StoreJson.MAPPER.readTree(
            settings.stateDir().resolve("agents/r1/agent/auth.json").toFile());
    assertEquals(c.getSecret(), sink.path("providers").path("strict").path("secret").asText());
    assertEquals(
        "strict:default", sink.path("providers").path("strict").path("profileId").asText());
  }

  @Test
  void getCredential_fiftyConcurrentCallersOnExpiredProfile_oneTokenCall() throws Exception {
    seed("r2", "default", Duration.ofSeconds(-5));
    int before = server.refreshCalls();
    Gate gate = new Gate();
    server.gate(gate);
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      List<Future<Credential>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        calls.add(pool.submit(() -> get("r2")));
      }
      assertTrue(gate.awaitArrivals(1, Duration.ofSeconds(20)));
      gate.open();
      String first = calls.get(0).get(30, TimeUnit.SECONDS).getSecret();
      for (Future<Credential> f : calls) {
        assertEquals(first, f.get(30, TimeUnit.SECONDS).getSecret());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, server.refreshCalls() - before);
    assertEquals(0, server.reusesDetected());
  }

  @Test
  void getCredential_revokedGrant_failedPreconditionAndReauthEventOnStream() {
    StrictOAuthServer.TokenPair pair = seed("r3", "default", Duration.ofSeconds(-5));
    server.respondWith(
        400, "{\"error\":\"invalid_grant\",\"error_description\":\"grant revoked\"}");
    Iterator<ExpiryEvent> events =
        broker
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .streamExpiryEvents(StreamExpiryEventsRequest.newBuilder().setAgent("r3").build());
    StatusRuntimeException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class, () -> get("r3"));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("login"), e.getStatus().getDescription());
    assertTrue(!e.getStatus().getDescription().contains(pair.refresh()));
    ExpiryEvent ev = next(events, ExpiryEvent.Type.REAUTH_REQUIRED);
    assertEquals("strict:default", ev.getProfileId());
    assertTrue(!ev.toString().contains(pair.access()) && !ev.toString().contains(pair.refresh()));
    // never retried in a loop: a second call fails the same way without a token call
    int calls = server.refreshCalls();
    assertEquals(
        Status.Code.FAILED_PRECONDITION,
        org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class, () -> get("r3"))
            .getStatus()
            .getCode());
    assertEquals(calls, server.refreshCalls());
  }

  @Test
  void streamExpiryEvents_refreshSeenAsRefreshed() {
    seed("r4", "default", Duration.ofSeconds(10));
    Iterator<ExpiryEvent> events =
        broker
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .streamExpiryEvents(
                StreamExpiryEventsRequest.newBuilder()
                    .setAgent("r4")
                    .setProvider("strict")
                    .build());
    String secret = get("r4").getSecret();
    ExpiryEvent ev = next(events, ExpiryEvent.Type.REFRESHED);
    assertEquals("r4", ev.getAgent());
    assertTrue(ev.getExpiresAt().getSeconds() > TestProducers.CLOCK.instant().getEpochSecond());
    assertTrue(!ev.toString().contains(secret));
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

  @Test
  void getCredential_tokenEndpointFailingAndTokenExpired_unavailableNotReauth() {
    seed("r9", "default", Duration.ofSeconds(-5));
    server.fault(StrictOAuthServer.Fault.SERVER_ERROR);
    StatusRuntimeException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class, () -> get("r9"));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
    assertTrue(
        !e.getStatus().getDescription().contains("re-login"), e.getStatus().getDescription());
  }
}
