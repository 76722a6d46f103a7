package dev.tokensink.metrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tokensink.api.v1.CredentialBrokerGrpc;
import dev.tokensink.api.v1.GetCredentialRequest;
import dev.tokensink.cache.AgentCache;
import dev.tokensink.config.Settings;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.Credential.OAuth;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import dev.tokensink.testing.StrictProviderProfile;
import dev.tokensink.testing.StrictProviderTest;
import dev.tokensink.testing.TestProducers;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * {@code /q/health}: liveness, readiness with the store, and the count of profiles needing a new
 * login as a separate check that degrades (data) but never takes the service out of rotation.
 */
@QuarkusTest
@TestProfile(StrictProviderProfile.class)
class HealthEndpointTest extends StrictProviderTest {
  @Inject Settings settings;
  @Inject AgentCache cache;

  @GrpcClient("broker")
  CredentialBrokerGrpc.CredentialBrokerBlockingStub broker;

  private static JsonPath ready() {
    return given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .extract()
        .jsonPath();
  }

  @Test
  void live_isUp() {
    given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void ready_refusedRefresh_degradesTheLoginCheck_staysUp_andShowsNoSecret() {
    JsonPath before = ready();
    assertEquals("UP", before.getString("checks.find { it.name == 'store' }.status"));
    int count = before.getInt("checks.find { it.name == 'profiles-needing-login' }.data.count");

    String refresh = "rt-unknown-to-the-provider-health-93ad";
    String access = "at-health-check-expired-0c51";
    try (FileStore store =
        new FileStore(FileStoreSettings.of(settings.stateDir()), TestProducers.CLOCK)) {
      store.update(
          AgentId.of("health-a"),
          tx -> {
            tx.write(
                tx.current()
                    .withProfile(
                        Profile.of(
                            ProfileId.parse("strict:default"),
                            new OAuth(
                                Secret.of(access),
                                Secret.of(refresh),
                                TestProducers.CLOCK.millis() - 1_000,
                                "acct",
                                null))));
            return null;
          });
    }
    cache.load(AgentId.of("health-a"));
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                broker.getCredential(
                    GetCredentialRequest.newBuilder()
                        .setAgent("health-a")
                        .setProvider("strict")
                        .build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());

    JsonPath after = ready();
    assertEquals(
        "UP", after.getString("checks.find { it.name == 'profiles-needing-login' }.status"));
    assertEquals(
        count + 1, after.getInt("checks.find { it.name == 'profiles-needing-login' }.data.count"));
    assertEquals(
        "degraded",
        after.getString("checks.find { it.name == 'profiles-needing-login' }.data.state"));
    String body = after.prettify();
    assertFalse(body.contains(refresh) || body.contains(access), "a secret is in /q/health");
  }
}
