package dev.tokensink.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.config.Settings;
import dev.tokensink.config.SettingsLoader;
import dev.tokensink.testing.Secrets;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code serve} refuses to start with, from the same configuration keys the service reads. */
class ServePolicyTest {
  private static final String TOKEN = "tsk_serve_policy_9c8b7a6f5e";

  static {
    Secrets.register(TOKEN);
  }

  @TempDir Path dir;

  private List<String> refusals(String host, Map<String, String> keys) {
    Map<String, String> all = new HashMap<>(keys);
    all.put("tokensink.state-dir", dir.toString());
    Settings s =
        SettingsLoader.of(
            SettingsLoader.builder()
                .withSources(new PropertiesConfigSource(all, "test", 500))
                .build());
    return ServePolicy.refusals(s, host);
  }

  @Test
  void loopbackWithoutCallers_serves() {
    assertEquals(List.of(), refusals("127.0.0.1", Map.of()));
    assertEquals(List.of(), refusals("localhost", Map.of()));
    assertEquals(List.of(), refusals("::1", Map.of()));
  }

  @Test
  void nonLoopbackWithoutCallers_refused_unlessInsecureOrCallers() {
    List<String> r = refusals("0.0.0.0", Map.of());
    assertEquals(1, r.size(), r.toString());
    assertTrue(
        r.get(0).contains("not a loopback address and no callers are configured")
            && r.get(0).contains("--insecure"));
    assertEquals(List.of(), refusals("0.0.0.0", Map.of("tokensink.grpc.insecure", "true")));
    assertEquals(
        List.of(),
        refusals(
            "0.0.0.0",
            Map.of(
                "tokensink.callers.w.token-sha256",
                Callers.sha256Hex(TOKEN),
                "tokensink.callers.w.agents",
                "main")));
  }

  @Test
  void worldReadableStateDir_refused_unlessAllowed() throws Exception {
    Path agent = Files.createDirectories(dir.resolve("agents/main/agent"));
    Files.writeString(agent.resolve("auth-profiles.json"), "{\"version\":1,\"profiles\":{}}");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(
        agent.resolve("auth-profiles.json"), PosixFilePermissions.fromString("rw-------"));
    for (Path p : List.of(dir.resolve("agents"), dir.resolve("agents/main"), agent)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    }
    assertEquals(List.of(), refusals("127.0.0.1", Map.of()));
    Files.setPosixFilePermissions(
        agent.resolve("auth-profiles.json"), PosixFilePermissions.fromString("rw-r--r--"));
    List<String> r = refusals("127.0.0.1", Map.of());
    assertEquals(1, r.size(), r.toString());
    assertTrue(
        r.get(0).contains("auth-profiles.json (rw-r--r--)") && r.get(0).contains("chmod -R go-rwx"),
        r.get(0));
    assertEquals(
        List.of(), refusals("127.0.0.1", Map.of("tokensink.allow-insecure-state-dir", "true")));
  }

  @Test
  void socketInMissingDir_refused() {
    Path socket = dir.resolve("missing/run/tokensink.sock");
    List<String> r = refusals("127.0.0.1", Map.of("tokensink.grpc.socket", socket.toString()));
    assertEquals(1, r.size(), r.toString());
    assertTrue(
        r.get(0)
            .contains("the directory " + socket.getParent() + " of " + socket + " does not exist"),
        r.get(0));
  }

  @Test
  void callerListedTwiceInConfigYaml_refusedWithTheLine_notTheFileContent() throws Exception {
    String hash = Callers.sha256Hex(TOKEN);
    Files.writeString(
        dir.resolve("config.yaml"),
        String.join(
            "\n",
            "tokensink:",
            "  store:",
            "    postgres:",
            "      password: pg-password-never-shown-1234",
            "  callers:",
            "    chat-worker:",
            "      token-sha256: " + hash,
            "      agents: [main]",
            "    chat-worker:",
            "      token-sha256: " + hash,
            "      agents: [work]",
            ""));
    Files.setPosixFilePermissions(
        dir.resolve("config.yaml"), PosixFilePermissions.fromString("rw-------"));
    List<String> r = refusals("127.0.0.1", Map.of());
    assertEquals(1, r.size(), r.toString());
    assertTrue(
        r.get(0).contains("found duplicate key chat-worker at line 9")
            && r.get(0).contains("listed twice"),
        r.get(0));
    Secrets.assertNotIn(r.get(0), "pg-password-never-shown-1234", hash);
  }

  @Test
  void callersThatCannotBeUsed_refused() {
    List<String> r =
        refusals(
            "127.0.0.1",
            Map.of(
                "tokensink.callers.a.token-sha256",
                Callers.sha256Hex(TOKEN),
                "tokensink.callers.a.agents",
                "main",
                "tokensink.callers.b.token-sha256",
                Callers.sha256Hex(TOKEN),
                "tokensink.callers.b.agents",
                "work"));
    assertEquals(1, r.size(), r.toString());
    assertTrue(r.get(0).contains("a and b have the same token-sha256"), r.get(0));
  }
}
