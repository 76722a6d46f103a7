package dev.tokensink.testing;

import dev.tokensink.security.Callers;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The gRPC server with TLS (Quarkus' {@code quarkus.grpc.server.ssl.*}) asking for client
 * certificates from a test CA: caller {@code edge} is the certificate subject {@link #EDGE} (agent
 * main), caller {@code tokened} a bearer token over TLS (agent work). The certificates are written
 * to the dir in {@code test.tls-dir} when the service starts.
 */
public class MtlsProfile implements QuarkusTestProfile {
  public static final String EDGE = "CN=edge-worker,O=tokensink-test";
  public static final String STRANGER = "CN=stranger,O=tokensink-test";
  public static final String TOKEN = "tsk_tls_token_caller_3e8f1a2b9c";

  static {
    Secrets.register(TOKEN);
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    try {
      Path dir = Files.createTempDirectory("tokensink-tls-");
      TestCerts certs = TestCerts.create(dir, EDGE, STRANGER);
      return Map.ofEntries(
          Map.entry("tokensink.state-dir", Fixtures.copy("openclaw-agents").toString()),
          Map.entry("test.tls-dir", dir.toString()),
          Map.entry("quarkus.grpc.server.ssl.certificate", certs.cert("server").toString()),
          Map.entry("quarkus.grpc.server.ssl.key", certs.key("server").toString()),
          Map.entry("quarkus.grpc.server.ssl.trust-store", certs.trustStore().toString()),
          Map.entry("quarkus.grpc.server.ssl.trust-store-password", TestCerts.TRUST_STORE_PASSWORD),
          Map.entry("quarkus.grpc.server.ssl.client-auth", "REQUEST"),
          Map.entry("tokensink.callers.edge.cert-subject", EDGE),
          Map.entry("tokensink.callers.edge.agents", "main"),
          Map.entry("tokensink.callers.tokened.token-sha256", Callers.sha256Hex(TOKEN)),
          Map.entry("tokensink.callers.tokened.agents", "work"),
          Map.entry("tokensink.jobs.interval", "1h"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
