package dev.tokensink.metrics;

import static io.restassured.RestAssured.given;
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
import dev.tokensink.api.v1.StreamExpiryEventsRequest;
import dev.tokensink.cache.AgentCache;
import dev.tokensink.config.Settings;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.Credential.ApiKey;
import dev.tokensink.model.Credential.OAuth;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import dev.tokensink.testing.Scrape;
import dev.tokensink.testing.StrictOAuthServer;
import dev.tokensink.testing.StrictProviderProfile;
import dev.tokensink.testing.StrictProviderTest;
import dev.tokensink.testing.TestProducers;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code /q/metrics} after real traffic: a refresh against the strict OAuth server, a served API
 * key, a refused refresh, an unknown agent, a rate limit and an open stream. Every series of
 * docs/monitoring.md is there with the values the traffic implies, and no secret or session id is.
 */
@QuarkusTest
@TestProfile(StrictProviderProfile.class)
class MetricsEndpointTest extends StrictProviderTest {
  @Inject Settings settings;
  @Inject AgentCache cache;

  @GrpcClient("broker")
  CredentialBrokerGrpc.CredentialBrokerBlockingStub broker;

  private static Scrape scrape() {
    return Scrape.parse(
        given().when().get("/q/metrics").then().statusCode(200).extract().asString());
  }

  private void store(String agent, Profile... profiles) {
    try (FileStore store =
        new FileStore(FileStoreSettings.of(settings.stateDir()), TestProducers.CLOCK)) {
      store.update(
          AgentId.of(agent),
          tx -> {
            var s = tx.current();
            for (Profile p : profiles) {
              s = s.withProfile(p);
            }
            tx.write(s);
            return null;
          });
    }
    cache.load(AgentId.of(agent)); // as the store watcher would, without waiting for its poll
  }

  private Credential get(String agent, String provider, String session) {
    return broker.getCredential(
        GetCredentialRequest.newBuilder()
            .setAgent(agent)
            .setProvider(provider)
            .setSessionId(session)
            .build());
  }

  @Test
  void metrics_afterTraffic_exposeEverySeriesWithTheirCounts_andNoSecret() throws Exception {
    server.reset();
    long now = TestProducers.CLOCK.millis();
    StrictOAuthServer.TokenPair grant = server.seedGrant();
    String apiKey = "sk-ant-api03-metrics-key-7f3a9c";
    String revokedRefresh = "rt-never-issued-by-the-server-5d1e";
    String revokedAccess = "at-of-a-revoked-grant-88b2";
    String session = "session-id-must-not-be-a-label-41c7";
    store(
        "metrics-a",
        Profile.of(
            ProfileId.parse("strict:default"),
            new OAuth(
                Secret.of(grant.access()),
                Secret.of(grant.refresh()),
                now + 10_000,
                "acct-1",
                null)),
        Profile.of(
            ProfileId.parse("anthropic:key"), new ApiKey(Secret.of(apiKey), null, Map.of())));
    store(
        "metrics-b",
        Profile.of(
            ProfileId.parse("strict:gone"),
            new OAuth(
                Secret.of(revokedAccess), Secret.of(revokedRefresh), now - 1_000, "acct-2", null)));

    Scrape before = scrape();
    Iterator<ExpiryEvent> events;
    try (Context.CancellableContext stream = Context.current().withCancellation()) {
      events =
          stream.call(
              () ->
                  broker
                      .withDeadlineAfter(30, TimeUnit.SECONDS)
                      .streamExpiryEvents(
                          StreamExpiryEventsRequest.newBuilder().setAgent("metrics-a").build()));
      events.hasNext(); // the subscription is registered once the current state arrives

      Credential refreshed = get("metrics-a", "strict", session);
      Credential key = get("metrics-a", "anthropic", session);
      assertEquals(apiKey, key.getSecret());
      StatusRuntimeException reauth =
          assertThrows(StatusRuntimeException.class, () -> get("metrics-b", "strict", ""));
      assertEquals(Status.Code.FAILED_PRECONDITION, reauth.getStatus().getCode());
      StatusRuntimeException unknown =
          assertThrows(
              StatusRuntimeException.class,
              () -> get("no-such-agent-" + now, "made-up-provider-" + now, ""));
      assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
      broker.reportOutcome(
          ReportOutcomeRequest.newBuilder()
              .setAgent("metrics-a")
              .setProfileId("anthropic:key")
              .setOutcome(Outcome.RATE_LIMITED)
              .build());

      Scrape after = scrape();
      String body = after.body();
      for (String secret :
          List.of(
              grant.access(),
              grant.refresh(),
              refreshed.getSecret(),
              server.currentRefreshToken(grant.refresh()),
              apiKey,
              revokedAccess,
              revokedRefresh,
              session)) {
        assertFalse(body.contains(secret), "a secret or session id is in /q/metrics");
      }
      assertFalse(
          body.contains(String.valueOf(now)), "request strings of an unknown agent became labels");

      String served = "tokensink_credentials_served_total";
      assertEquals(
          1,
          after.valueOr0(
              served, "agent", "metrics-a", "provider", "strict", "type", "oauth", "code", "OK"));
      assertEquals(
          1,
          after.valueOr0(
              served,
              "agent",
              "metrics-a",
              "provider",
              "anthropic",
              "type",
              "api_key",
              "code",
              "OK"));
      assertEquals(
          1,
          after.valueOr0(
              served,
              "agent",
              "metrics-b",
              "provider",
              "strict",
              "type",
              "none",
              "code",
              "FAILED_PRECONDITION"));
      assertEquals(
          1,
          delta(
              before,
              after,
              served,
              "agent",
              "unknown",
              "provider",
              "unknown",
              "code",
              "NOT_FOUND"));

      assertEquals(
          1,
          delta(
              before, after, "tokensink_refreshes_total", "mode", "serve", "result", "refreshed"));
      assertEquals(
          1,
          delta(
              before,
              after,
              "tokensink_refreshes_total",
              "mode",
              "serve",
              "result",
              "reauth_required"));
      assertEquals(
          1,
          delta(before, after, "tokensink_refresh_duration_seconds_count", "result", "refreshed"));
      assertTrue(
          after
              .value(
                  "tokensink_refresh_duration_seconds_bucket", "result", "refreshed", "le", "+Inf")
              .isPresent(),
          "latency histogram buckets");
      assertEquals(2, delta(before, after, "tokensink_refresh_endpoint_calls_total"));
      assertEquals(2, delta(before, after, "tokensink_refresh_waiters_total"));

      for (String state : List.of("ok", "expiring", "cooldown", "disabled", "reauth_required")) {
        assertTrue(
            after.value("tokensink_profiles", "state", state).isPresent(),
            "profiles in state " + state);
      }
      assertTrue(after.valueOr0("tokensink_profiles", "state", "cooldown") >= 1);
      assertTrue(after.valueOr0("tokensink_profiles", "state", "reauth_required") >= 1);
      assertTrue(after.valueOr0("tokensink_profiles", "state", "ok") >= 1);
      assertEquals(
          1, delta(before, after, "tokensink_cooldowns_started_total", "kind", "cooldown"));
      assertTrue(after.value("tokensink_cooldowns_started_total", "kind", "disabled").isPresent());

      assertTrue(after.valueOr0("tokensink_stream_subscribers") >= 1, "the open stream is counted");
      assertTrue(after.value("tokensink_stream_events_dropped_total").isPresent());
      assertTrue(
          delta(
                  before,
                  after,
                  "tokensink_store_write_duration_seconds_count",
                  "backend",
                  "file",
                  "op",
                  "commit")
              >= 2,
          "the refresh and the cooldown were written");
      assertTrue(
          delta(before, after, "tokensink_store_write_duration_seconds_count", "op", "flush") >= 1,
          "the refresh marker was flushed before the token call");
      stream.cancel(null);
    }
  }

  private static double delta(Scrape before, Scrape after, String name, String... labels) {
    return after.valueOr0(name, labels) - before.valueOr0(name, labels);
  }
}
