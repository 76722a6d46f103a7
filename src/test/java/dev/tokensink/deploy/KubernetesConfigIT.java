package dev.tokensink.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tokensink.testing.PostgresServer;
import dev.tokensink.testing.ReplicaProcess;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged service started with exactly the base manifests' configuration: the ConfigMap's
 * {@code config.yaml} in its state dir and the Deployment's environment with the Secret filled in.
 * Only what a cluster provides differently is overridden as system properties: the database address
 * (a throwaway local PostgreSQL instead of the Service {@code postgres}) and free ports. It must
 * turn ready, answer every probe path of the Deployment, and encrypt (the key reached it through
 * {@code ${TOKENSINK_ENCRYPTION_KEY}}).
 */
class KubernetesConfigIT {
  private static final Path BASE = Manifests.K8S.resolve("base");

  @Test
  void packagedService_withTheBaseManifestsConfig_startsReadyAndAnswersItsProbes()
      throws Exception {
    Deployment deployment = Manifests.read(BASE.resolve("deployment.yaml"), Deployment.class);
    ConfigMap configMap = Manifests.read(BASE.resolve("configmap.yaml"), ConfigMap.class);
    Secret template = Manifests.read(BASE.resolve("secret.yaml"), Secret.class);
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String callerHash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest("worker-token".getBytes(StandardCharsets.UTF_8)));
    Secret filled =
        new io.fabric8.kubernetes.api.model.SecretBuilder(template)
            .withStringData(
                Map.of(
                    "TOKENSINK_DB_PASSWORD",
                    "db-password",
                    "TOKENSINK_ENCRYPTION_KEY",
                    Base64.getEncoder().encodeToString(key),
                    "TOKENSINK_CALLER_CHAT_WORKER_SHA256",
                    callerHash))
            .build();
    Map<String, String> env = new HashMap<>(Manifests.env(container, filled));
    Path stateDir = Files.createTempDirectory("tokensink-k8s-");
    Files.writeString(stateDir.resolve("config.yaml"), configMap.getData().get("config.yaml"));
    env.put("TOKENSINK_STATE_DIR", stateDir.toString());

    try (PostgresServer pg = PostgresServer.startNew();
        ReplicaProcess replica =
            ReplicaProcess.start(
                "k8s-config",
                Map.of(
                    "tokensink.state-dir", stateDir.toString(),
                    "tokensink.store.postgres.url", pg.newDatabase(),
                    "tokensink.store.postgres.username", "postgres"),
                env)) {
      replica.awaitReadiness(200, Duration.ofSeconds(60));
      for (var probe :
          List.of(
              container.getLivenessProbe(),
              container.getReadinessProbe(),
              container.getStartupProbe())) {
        assertEquals(
            200, replica.httpStatus(probe.getHttpGet().getPath()), probe.getHttpGet().getPath());
      }
      String log = replica.log();
      assertFalse(
          log.contains("PLAINTEXT"), "the encryption key from the Secret reached the store");
      assertFalse(
          log.contains(filled.getStringData().get("TOKENSINK_ENCRYPTION_KEY")), "key logged");
      assertFalse(log.contains("db-password"), "password logged");
    }
  }
}
