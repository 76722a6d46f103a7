package dev.tokensink.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokensink.config.Settings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml and the Dockerfile it builds, checked against the application's configuration:
 * the tokensink service's environment is fed through the service's config mapping ({@link
 * AppConfig}) with the user's variables filled in, and must point at the postgres service it
 * depends on.
 */
class ComposeFileTest {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(:?[?-][^}]*)?}");

  /** What a user puts into .env (the compose file's own instructions). */
  private static final Map<String, String> USER_ENV =
      Map.of(
          "TOKENSINK_DB_PASSWORD", "db-password-from-dotenv",
          "TOKENSINK_ENCRYPTION_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");

  private final JsonNode compose = Manifests.tree(Manifests.ROOT.resolve("docker-compose.yml"));
  private final JsonNode tokensink = compose.path("services").path("tokensink");
  private final JsonNode postgres = compose.path("services").path("postgres");

  /** Compose's interpolation of {@code ${VAR}}, {@code ${VAR:?msg}}, {@code ${VAR:-default}}. */
  private static String interpolate(String v, Map<String, String> vars) {
    Matcher m = VARIABLE.matcher(v);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = vars.get(m.group(1));
      if (value == null) {
        throw new AssertionError(
            "compose needs ${" + m.group(1) + "}, which the instructions do not mention");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return m.appendTail(out).toString();
  }

  private static Map<String, String> env(JsonNode service) {
    Map<String, String> out = new LinkedHashMap<>();
    service
        .path("environment")
        .fields()
        .forEachRemaining(e -> out.put(e.getKey(), interpolate(e.getValue().asText(), USER_ENV)));
    return out;
  }

  @Test
  void tokensink_startsOnlyAfterPostgresIsHealthy() {
    assertEquals(
        "service_healthy",
        tokensink.path("depends_on").path("postgres").path("condition").asText());
    String check = String.join(" ", texts(postgres.path("healthcheck").path("test")));
    assertTrue(check.contains("pg_isready"), check);
    assertTrue(tokensink.path("healthcheck").path("test").toString().contains("/q/health/ready"));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void tokensink_environmentConfiguresTheServiceForThePostgresService() {
    Map<String, String> env = env(tokensink);
    AppConfig app = AppConfig.of(env, null);
    Settings s = app.settings();
    Map<String, String> pg = env(postgres);
    assertEquals(Settings.Store.Backend.POSTGRES, s.store().backend());
    URI db = URI.create(s.store().postgres().url().orElseThrow().substring("jdbc:".length()));
    assertEquals("postgres", db.getHost(), "the compose service name");
    assertEquals("/" + pg.get("POSTGRES_DB"), db.getPath());
    assertEquals(pg.get("POSTGRES_USER"), s.store().postgres().username().orElse(null));
    assertEquals(pg.get("POSTGRES_PASSWORD"), s.store().postgres().password().orElse(null));
    assertEquals(USER_ENV.get("TOKENSINK_ENCRYPTION_KEY"), s.encryptionKey().orElse(null));
    assertEquals("0.0.0.0", app.grpcHost());
    assertEquals("0.0.0.0", app.httpHost());
    for (String name : env.keySet()) {
      assertTrue(
          AppConfig.reads(env, null, name), name + " is set but the service reads no key from it");
    }
  }

  @Test
  void ports_publishTheServicesPortsOnLoopbackOnly() {
    AppConfig app = AppConfig.of(env(tokensink), null);
    Set<Integer> published = new TreeSet<>();
    for (String p : texts(tokensink.path("ports"))) {
      String[] parts = p.split(":");
      assertEquals(3, parts.length, p);
      assertEquals("127.0.0.1", parts[0], "published on the host's loopback only: " + p);
      published.add(Integer.parseInt(parts[2]));
    }
    assertEquals(Set.of(app.grpcPort(), app.httpPort()), published);
    assertTrue(
        tokensink.path("healthcheck").toString().contains("/" + app.httpPort() + " "),
        "health check port");
  }

  @Test
  void postgres_keepsItsDataOnANamedVolume() {
    List<String> mounts = texts(postgres.path("volumes"));
    assertEquals(List.of("pgdata:/var/lib/postgresql/data"), mounts);
    assertTrue(compose.path("volumes").has("pgdata"));
    assertTrue(postgres.path("image").asText().startsWith("postgres:15"));
  }

  @Test
  void dockerfile_runsTheQuarkusJarAsNonRootAndExposesTheServicePorts() throws Exception {
    Path dockerfile = Manifests.ROOT.resolve(tokensink.path("build").path("dockerfile").asText());
    List<String> lines = Files.readAllLines(dockerfile);
    String user =
        lines.stream()
            .filter(l -> l.startsWith("USER "))
            .reduce((a, b) -> b)
            .orElseThrow()
            .substring(5);
    long uid = Long.parseLong(user.split(":")[0]);
    assertTrue(uid > 0, "numeric non-root user, so runAsNonRoot can verify it: " + user);
    assertTrue(
        lines.stream().anyMatch(l -> l.startsWith("ENTRYPOINT") && l.contains("quarkus-run.jar")));
    assertTrue(
        lines.stream()
            .anyMatch(
                l -> l.startsWith("COPY") && l.contains("target/quarkus-app/quarkus-run.jar")));
    AppConfig app = AppConfig.of(env(tokensink), null);
    String expose = lines.stream().filter(l -> l.startsWith("EXPOSE ")).findFirst().orElseThrow();
    assertEquals(
        Set.of(app.grpcPort(), app.httpPort()),
        Set.of(expose.substring(7).trim().split("\\s+")).stream()
            .map(Integer::valueOf)
            .collect(java.util.stream.Collectors.toSet()));
    assertFalse(tokensink.path("read_only").isMissingNode(), "read-only root file system");
    assertEquals(List.of("/tmp"), texts(tokensink.path("tmpfs")));
  }
}
