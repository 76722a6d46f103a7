package dev.tokensink.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokensink.config.Settings;
import dev.tokensink.store.pg.KeyRing;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s parsed into typed Kubernetes models and checked against the application's own
 * configuration: the env and config.yaml of the manifests are fed through the service's config
 * mapping ({@link AppConfig}), so a port, key or mount that the service would not see fails here.
 */
class KubernetesManifestsTest {
  private static final Path BASE = Manifests.K8S.resolve("base");
  private static final Path SIDECAR = Manifests.K8S.resolve("overlays/sidecar");
  private static final Set<String> HEALTH_PATHS =
      Set.of("/q/health/live", "/q/health/ready", "/q/health/started");
  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([A-Za-z0-9_]+)");

  private final Deployment deployment =
      Manifests.read(BASE.resolve("deployment.yaml"), Deployment.class);
  private final ConfigMap configMap =
      Manifests.read(BASE.resolve("configmap.yaml"), ConfigMap.class);
  private final Secret secret = Manifests.read(BASE.resolve("secret.yaml"), Secret.class);
  private final Container tokensink =
      container(deployment.getSpec().getTemplate().getSpec(), "tokensink");

  private static Container container(PodSpec pod, String name) {
    return pod.getContainers().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name));
  }

  private static int port(Container c, String name) {
    return c.getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .mapToInt(ContainerPort::getContainerPort)
        .findFirst()
        .orElseThrow(() -> new AssertionError("container " + c.getName() + " has no port " + name));
  }

  private AppConfig baseConfig() {
    return AppConfig.of(Manifests.env(tokensink, secret), configMap.getData().get("config.yaml"));
  }

  @Test
  void deployment_portsAreTheOnesTheServiceBinds() {
    AppConfig app = baseConfig();
    assertEquals(app.grpcPort(), port(tokensink, "grpc"));
    assertEquals(app.httpPort(), port(tokensink, "http"));
    // reachable from other pods (the kubelet's probes and the Service need more than loopback)
    assertEquals("0.0.0.0", app.grpcHost());
    assertEquals("0.0.0.0", app.httpHost());
    assertEquals(2, deployment.getSpec().getReplicas());
  }

  @Test
  void deployment_configReachesTheServiceFromTheConfigMapAndTheSecret() {
    AppConfig app = baseConfig();
    Settings s = app.settings();
    assertEquals(Settings.Store.Backend.POSTGRES, s.store().backend(), "backend");
    assertEquals(
        secret.getStringData().get("TOKENSINK_DB_PASSWORD"),
        s.store().postgres().password().orElse(null));
    assertEquals(
        secret.getStringData().get("TOKENSINK_ENCRYPTION_KEY"), s.encryptionKey().orElse(null));
    // a non-loopback gRPC address needs callers (docs/api.md); the caller's hash comes from the
    // Secret
    assertFalse(s.callers().isEmpty(), "callers");
    s.callers()
        .values()
        .forEach(
            c ->
                assertEquals(
                    secret.getStringData().get("TOKENSINK_CALLER_CHAT_WORKER_SHA256"),
                    c.tokenSha256().orElse(null)));
    // the ConfigMap is mounted where the service looks for config.yaml: <stateDir>/config.yaml
    VolumeMount mount = mount(tokensink, "config");
    assertEquals(Path.of(mount.getMountPath()), app.stateDir());
    assertEquals(
        configMap.getMetadata().getName(),
        volume(deployment.getSpec().getTemplate().getSpec(), "config").getConfigMap().getName());
  }

  @Test
  void deployment_everyEnvVariableIsUsedByTheService() {
    Map<String, String> env = Manifests.env(tokensink, secret);
    String yaml = configMap.getData().get("config.yaml");
    for (String name : env.keySet()) {
      var provider = dev.tokensink.store.EnvKeys.providerOf(name);
      if (provider.isPresent()) {
        // a provider key (env-only mode): served to every agent as provider:env
        var keys =
            new dev.tokensink.store.EnvKeys(
                Path.of("/nonexistent-state-dir"), Map.of(name, "sk-test-0123456789abcdef"));
        assertTrue(keys.profile(provider.get()).isPresent(), name);
        continue;
      }
      assertTrue(
          AppConfig.reads(env, yaml, name),
          name + " is set in deployment.yaml but the service reads no key from it");
    }
  }

  @Test
  void secret_isATemplateWithoutRealValues_andEveryReferencedVariableHasAKey() {
    secret.getStringData().forEach((k, v) -> assertEquals("REPLACE_ME", v, k));
    assertTrue(
        secret.getData() == null || secret.getData().isEmpty(), "no base64 data in the template");
    // left unfilled, the service refuses to start instead of storing secrets in plaintext
    assertThrows(IllegalArgumentException.class, () -> KeyRing.parse("REPLACE_ME"));
    Matcher m = EXPRESSION.matcher(configMap.getData().get("config.yaml"));
    Set<String> env = Manifests.env(tokensink, secret).keySet();
    while (m.find()) {
      assertTrue(
          env.contains(m.group(1)),
          "config.yaml uses ${" + m.group(1) + "} but the container does not set it");
    }
  }

  @Test
  void probes_useTheQuarkusHealthEndpointsOnTheHttpPort() {
    HTTPGetAction live = tokensink.getLivenessProbe().getHttpGet();
    HTTPGetAction ready = tokensink.getReadinessProbe().getHttpGet();
    assertEquals("/q/health/live", live.getPath());
    assertEquals("/q/health/ready", ready.getPath());
    for (HTTPGetAction a : List.of(live, ready, tokensink.getStartupProbe().getHttpGet())) {
      assertTrue(HEALTH_PATHS.contains(a.getPath()), a.getPath());
      assertEquals(baseConfig().httpPort(), resolve(tokensink, a.getPort()));
    }
  }

  private static int resolve(Container c, IntOrString port) {
    return port.getIntVal() != null ? port.getIntVal() : port(c, port.getStrVal());
  }

  @Test
  void pod_runsAsNonRootOnAReadOnlyRootFileSystemWithTmpOnAnEmptyDir() {
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
    assertTrue(pod.getSecurityContext().getRunAsUser() > 0);
    var sc = tokensink.getSecurityContext();
    assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem());
    assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation());
    assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
    assertNotNull(volume(pod, mount(tokensink, "tmp").getName()).getEmptyDir());
    assertEquals("/tmp", mount(tokensink, "tmp").getMountPath());
    var requests = tokensink.getResources().getRequests();
    assertNotNull(requests.get("cpu"));
    assertNotNull(requests.get("memory"));
    for (Container c : pod.getContainers()) {
      for (VolumeMount vm : c.getVolumeMounts()) {
        volume(pod, vm.getName()); // every mount names a volume of the pod
      }
    }
  }

  private static VolumeMount mount(Container c, String volume) {
    return c.getVolumeMounts().stream()
        .filter(m -> m.getName().equals(volume))
        .findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " does not mount " + volume));
  }

  private static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the pod has no volume " + name));
  }

  @Test
  void serviceAndPdbAndNetworkPolicy_selectTheDeploymentsPods() {
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    assertTrue(
        podLabels
            .entrySet()
            .containsAll(deployment.getSpec().getSelector().getMatchLabels().entrySet()));
    Service svc = Manifests.read(BASE.resolve("service.yaml"), Service.class);
    PodDisruptionBudget pdb = Manifests.read(BASE.resolve("pdb.yaml"), PodDisruptionBudget.class);
    NetworkPolicy np = Manifests.read(BASE.resolve("networkpolicy.yaml"), NetworkPolicy.class);
    assertTrue(podLabels.entrySet().containsAll(svc.getSpec().getSelector().entrySet()));
    assertTrue(
        podLabels.entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()));
    assertTrue(
        podLabels
            .entrySet()
            .containsAll(np.getSpec().getPodSelector().getMatchLabels().entrySet()));
    assertTrue(
        pdb.getSpec().getMinAvailable().getIntVal() < deployment.getSpec().getReplicas(),
        "the PDB must allow one pod to go");
    for (ServicePort p : svc.getSpec().getPorts()) {
      assertEquals(port(tokensink, p.getName()), resolve(tokensink, p.getTargetPort()));
    }
  }

  @Test
  void networkPolicy_admitsTheServicePortsAndReachesTheDatabase() throws Exception {
    NetworkPolicy np = Manifests.read(BASE.resolve("networkpolicy.yaml"), NetworkPolicy.class);
    AppConfig app = baseConfig();
    Set<Integer> ingress =
        np.getSpec().getIngress().stream()
            .flatMap(r -> r.getPorts().stream())
            .map(p -> resolve(tokensink, p.getPort()))
            .collect(Collectors.toSet());
    assertEquals(Set.of(app.grpcPort(), app.httpPort()), ingress);
    URI db =
        URI.create(
            app.settings().store().postgres().url().orElseThrow().substring("jdbc:".length()));
    Set<Integer> egress =
        np.getSpec().getEgress().stream()
            .flatMap(r -> r.getPorts().stream())
            .map(NetworkPolicyPort::getPort)
            .map(IntOrString::getIntVal)
            .collect(Collectors.toSet());
    assertTrue(egress.contains(db.getPort() < 0 ? 5432 : db.getPort()), "database port " + egress);
    assertTrue(egress.contains(53) && egress.contains(443), "DNS and token endpoints " + egress);
  }

  @Test
  void kustomizations_listEveryFileAndOnlyExistingOnes() throws IOException {
    for (Path dir : List.of(BASE, SIDECAR)) {
      JsonNode k = Manifests.tree(dir.resolve("kustomization.yaml"));
      Set<String> listed = new TreeSet<>();
      k.path("resources").forEach(r -> listed.add(r.asText()));
      k.path("patches").forEach(p -> listed.add(p.path("path").asText()));
      for (String f : listed) {
        assertTrue(Files.exists(dir.resolve(f)), dir + ": lists missing " + f);
      }
      try (Stream<Path> files = Files.list(dir)) {
        Set<String> yamls =
            files
                .map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                .collect(Collectors.toCollection(TreeSet::new));
        listed.removeIf(f -> f.startsWith(".."));
        assertEquals(yamls, listed, dir + ": every manifest listed once");
      }
    }
  }

  @Test
  void sidecarOverlay_workerAndTokensinkShareTheSocketDir_andTheFileStoreIsOnAVolume() {
    Deployment patch = Manifests.read(SIDECAR.resolve("deployment-patch.yaml"), Deployment.class);
    ConfigMap cm = Manifests.read(SIDECAR.resolve("configmap-patch.yaml"), ConfigMap.class);
    PersistentVolumeClaim pvc =
        Manifests.read(SIDECAR.resolve("pvc.yaml"), PersistentVolumeClaim.class);
    assertEquals(deployment.getMetadata().getName(), patch.getMetadata().getName());
    assertEquals(configMap.getMetadata().getName(), cm.getMetadata().getName());
    PodSpec pod = patch.getSpec().getTemplate().getSpec();
    Container ts = container(pod, "tokensink");
    Container worker = container(pod, "chat-worker");

    // what the service makes of the overlay's config and env (base env, overlay's value wins)
    Map<String, String> env = new HashMap<>(Manifests.env(tokensink, secret));
    env.putAll(Manifests.env(ts, secret));
    AppConfig app = AppConfig.of(env, cm.getData().get("config.yaml"));
    Settings s = app.settings();
    assertEquals(
        Settings.Store.Backend.FILE, s.store().backend(), "the sidecar uses the file store");
    assertEquals(1, patch.getSpec().getReplicas());

    Path socket = Path.of(s.grpc().socket().orElseThrow());
    assertTrue(socket.isAbsolute(), "tokensink.grpc.socket");
    VolumeMount tsSock = mount(ts, "socket");
    VolumeMount wSock = mount(worker, "socket");
    assertEquals(Path.of(tsSock.getMountPath()), socket.getParent());
    assertEquals(tsSock.getMountPath(), wSock.getMountPath());
    assertNotNull(volume(pod, "socket").getEmptyDir());
    assertEquals(
        "unix://" + socket,
        worker.getEnv().stream()
            .filter(e -> e.getName().equals("CREDENTIAL_BROKER_TARGET"))
            .findFirst()
            .orElseThrow()
            .getValue());

    // state dir on the claim, config.yaml inside it from the ConfigMap
    VolumeMount state = mount(ts, "state");
    assertEquals(Path.of(state.getMountPath()), app.stateDir());
    assertEquals(
        pvc.getMetadata().getName(),
        volume(pod, "state").getPersistentVolumeClaim().getClaimName());
    VolumeMount cfg =
        ts.getVolumeMounts().stream()
            .filter(m -> "config.yaml".equals(m.getSubPath()))
            .findFirst()
            .orElseThrow();
    assertEquals(app.stateDir().resolve("config.yaml"), Path.of(cfg.getMountPath()));
    assertEquals("config", cfg.getName());
    assertEquals(Boolean.TRUE, worker.getSecurityContext().getReadOnlyRootFilesystem());
    for (Container c : pod.getContainers()) {
      for (VolumeMount vm : c.getVolumeMounts()) {
        boolean inPatch = pod.getVolumes().stream().anyMatch(v -> v.getName().equals(vm.getName()));
        boolean inBase =
            deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getName().equals(vm.getName()));
        assertTrue(inPatch || inBase, c.getName() + " mounts unknown volume " + vm.getName());
      }
    }
    JsonNode pdbDelete = Manifests.tree(SIDECAR.resolve("pdb-delete.yaml"));
    assertEquals("delete", pdbDelete.path("$patch").asText());
    assertEquals(
        Manifests.read(BASE.resolve("pdb.yaml"), PodDisruptionBudget.class).getMetadata().getName(),
        pdbDelete.path("metadata").path("name").asText());
  }
}
