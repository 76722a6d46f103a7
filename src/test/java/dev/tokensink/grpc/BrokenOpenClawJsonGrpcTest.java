package dev.tokensink.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokensink.api.v1.CredentialBrokerGrpc;
import dev.tokensink.api.v1.GetCredentialRequest;
import dev.tokensink.routing.ConfiguredOrder;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An {@code openclaw.json} that does not parse: the service starts, the file is ignored (named in a
 * warning, {@code OpenClawJsonTest} checks the words) and left as it is, and the other order
 * sources still work.
 */
@QuarkusTest
@TestProfile(BrokenOpenClawJsonGrpcTest.Profile.class)
class BrokenOpenClawJsonGrpcTest {

  /** The same state dir as {@link OpenClawOrderGrpcTest}, with a broken openclaw.json. */
  public static class Profile implements QuarkusTestProfile {
    static volatile Path dir;

    @Override
    public Map<String, String> getConfigOverrides() {
      synchronized (Profile.class) {
        if (dir == null) {
          dir = OpenClawOrderGrpcTest.seed("{ auth: { order: { anthropic: ['anthropic:b', ");
        }
      }
      return Map.of(
          "tokensink.state-dir",
          dir.toString(),
          "tokensink.auth.order.openrouter",
          "openrouter:y,openrouter:x");
    }
  }

  @Inject ConfiguredOrder order;

  @GrpcClient("broker")
  CredentialBrokerGrpc.CredentialBrokerBlockingStub broker;

  private String get(String provider) {
    return broker
        .getCredential(
            GetCredentialRequest.newBuilder().setAgent("main").setProvider(provider).build())
        .getProfileId();
  }

  @Test
  void brokenOpenclawJson_ignored_otherOrderSourcesStillWork() throws Exception {
    assertEquals(Map.of("openrouter", List.of("openrouter:y", "openrouter:x")), order.byProvider());
    assertEquals("openrouter:y", get("openrouter"), "tokensink.auth.order still works");
    assertEquals("anthropic:a", get("anthropic"), "no order from the broken file: default sort");
    assertEquals(
        "{ auth: { order: { anthropic: ['anthropic:b', ",
        Files.readString(Profile.dir.resolve("openclaw.json")),
        "never rewritten");
  }
}
