package dev.tokensink.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokensink.api.v1.CredentialBrokerGrpc;
import dev.tokensink.api.v1.GetCredentialRequest;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import dev.tokensink.routing.ConfiguredOrder;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md §1, §3: serving an OpenClaw JSON state dir as it is, the {@code auth.order} of its
 * {@code openclaw.json} (JSON5) is the configured order; {@code tokensink.auth.order} wins per
 * provider; the file is never written.
 */
@QuarkusTest
@TestProfile(OpenClawOrderGrpcTest.Profile.class)
class OpenClawOrderGrpcTest {
  static final String OPENCLAW_JSON =
      """
      // OpenClaw's own config (JSON5)
      {
        agents: { list: [ { id: 'main' } ] },
        auth: {
          order: {
            anthropic: ['anthropic:b', 'anthropic:a'],
            openrouter: ['openrouter:y', 'openrouter:x',],
          },
        },
      }
      """;

  /** A state dir in OpenClaw's JSON layout with an openclaw.json, and one tokensink order. */
  public static class Profile implements QuarkusTestProfile {
    static volatile Path dir;

    @Override
    public Map<String, String> getConfigOverrides() {
      synchronized (Profile.class) {
        if (dir == null) {
          dir = seed(OPENCLAW_JSON);
        }
      }
      return Map.of(
          "tokensink.state-dir",
          dir.toString(),
          "tokensink.auth.order.openrouter",
          "openrouter:x,openrouter:y");
    }
  }

  static Path seed(String openclawJson) {
    try {
      Path dir = Files.createTempDirectory("tokensink-openclaw-order-");
      try (FileStore store = new FileStore(FileStoreSettings.of(dir), Clock.systemUTC())) {
        store.update(
            AgentId.of("main"),
            tx -> {
              var s = tx.current();
              for (String id :
                  List.of("anthropic:a", "anthropic:b", "openrouter:x", "openrouter:y")) {
                s =
                    s.withProfile(
                        dev.tokensink.model.Profile.of(
                            ProfileId.parse(id),
                            new Credential.ApiKey(
                                Secret.of("sk-FIXTURE-" + id.replace(':', '-') + "-0000000000"),
                                null,
                                Map.of())));
              }
              tx.write(s);
              return null;
            });
      }
      Path file = dir.resolve("openclaw.json");
      Files.writeString(file, openclawJson);
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
  void openclawJsonOrder_usedAsConfiguredOrder_tokensinkConfigWinsPerProvider() throws Exception {
    String before = Files.readString(Profile.dir.resolve("openclaw.json"));
    assertEquals("anthropic:b", get("anthropic"), "openclaw.json's auth.order");
    assertEquals("openrouter:x", get("openrouter"), "tokensink.auth.order wins for openrouter");
    assertEquals(
        Map.of(
            "anthropic",
            List.of("anthropic:b", "anthropic:a"),
            "openrouter",
            List.of("openrouter:x", "openrouter:y")),
        order.byProvider());
    assertEquals(before, Files.readString(Profile.dir.resolve("openclaw.json")), "read-only");
  }
}
