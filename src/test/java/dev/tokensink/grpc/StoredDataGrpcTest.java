package dev.tokensink.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.api.v1.Credential;
import dev.tokensink.api.v1.CredentialBrokerGrpc;
import dev.tokensink.api.v1.GetCredentialRequest;
import dev.tokensink.cache.AgentCache;
import dev.tokensink.config.Settings;
import dev.tokensink.model.AgentId;
import dev.tokensink.store.StoreException;
import dev.tokensink.testing.OpenClawAgentsProfile;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What other processes leave in the state dir: a corrupt file, secrets behind refs. */
@QuarkusTest
@TestProfile(OpenClawAgentsProfile.class)
class StoredDataGrpcTest {
  @Inject Settings settings;
  @Inject AgentCache cache;

  @GrpcClient("broker")
  CredentialBrokerGrpc.CredentialBrokerBlockingStub broker;

  private Credential get(String agent, String provider) {
    return broker.getCredential(
        GetCredentialRequest.newBuilder().setAgent(agent).setProvider(provider).build());
  }

  private Path write(String agent, String content) throws Exception {
    Path dir = settings.stateDir().resolve("agents/" + agent + "/agent");
    Files.createDirectories(dir);
    Path f = dir.resolve("auth-profiles.json");
    Files.writeString(f, content);
    return f;
  }

  @Test
  void truncatedProfilesFile_failedPreconditionNamingTheFile_fileUntouched_otherAgentsServed()
      throws Exception {
    Path f =
        write(
            "broken",
            "{\n  \"version\": 1,\n  \"profiles\": {\n    \"anthropic:x\": { \"type\": \"api_key\", \"key\": \"sk-ant-x");
    byte[] before = Files.readAllBytes(f);
    assertThrows(StoreException.class, () -> cache.load(AgentId.of("broken")));
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> get("broken", "anthropic"));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    String msg = e.getStatus().getDescription();
    assertTrue(msg.contains("auth-profiles.json") && msg.contains("line"), msg);
    assertTrue(!msg.contains("sk-ant-x"), "no content of the file in the message");
    assertArrayEquals(before, Files.readAllBytes(f));
    assertEquals("anthropic:work", get("main", "anthropic").getProfileId());
  }

  @Test
  void keyRefToAFile_resolvedWhenServed_andReReadWhenTheFileChanges() throws Exception {
    Path secrets = settings.stateDir().resolve("secrets.json");
    Files.writeString(secrets, "{\"openrouter\":{\"key\":\"sk-or-v1-from-file-ref-one\"}}");
    write(
        "refs",
        "{\"version\":1,\"profiles\":{\"openrouter:mounted\":{\"type\":\"api_key\",\"provider\":\"openrouter\","
            + "\"keyRef\":{\"source\":\"file\",\"provider\":\""
            + secrets
            + "\",\"id\":\"/openrouter/key\"}}}}");
    cache.load(AgentId.of("refs"));
    assertEquals("sk-or-v1-from-file-ref-one", get("refs", "openrouter").getSecret());
    Files.writeString(
        secrets,
        "{\"openrouter\":{\"key\":\"sk-or-v1-from-file-ref-two\"}}",
        StandardCharsets.UTF_8);
    cache.load(AgentId.of("refs")); // what the scheduler's re-resolution does each tick
    assertEquals("sk-or-v1-from-file-ref-two", get("refs", "openrouter").getSecret());
    String stored =
        Files.readString(settings.stateDir().resolve("agents/refs/agent/auth-profiles.json"));
    assertTrue(
        !stored.contains("sk-or-v1-from-file-ref"), "the secret is never copied into the store");
  }

  @Test
  void unresolvableKeyRef_profileUnusableWithReason_othersStillServe() throws Exception {
    write(
        "refs2",
        "{\"version\":1,\"profiles\":{"
            + "\"openrouter:gone\":{\"type\":\"api_key\",\"provider\":\"openrouter\",\"keyRef\":{\"source\":\"env\",\"id\":\"NOT_SET_ANYWHERE\"}},"
            + "\"openrouter:plain\":{\"type\":\"api_key\",\"provider\":\"openrouter\",\"key\":\"sk-or-v1-plain-key-000\"}}}");
    cache.load(AgentId.of("refs2"));
    assertEquals("openrouter:plain", get("refs2", "openrouter").getProfileId());
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                broker.getCredential(
                    GetCredentialRequest.newBuilder()
                        .setAgent("refs2")
                        .setProvider("openrouter")
                        .setProfileOverride("openrouter:gone")
                        .build()));
    assertTrue(
        e.getStatus().getDescription().contains("NOT_SET_ANYWHERE"),
        e.getStatus().getDescription());
  }
}
