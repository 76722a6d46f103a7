package dev.tokensink.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's configuration: sources, their ranks, conversions and errors that name the key. */
class SettingsLoaderTest {
  @TempDir Path dir;

  private Settings load(Map<String, String> env, Map<String, String> keys) {
    return SettingsLoader.load(dir.toString(), env, keys);
  }

  @Test
  void defaults_areTheMappingsDefaults() {
    Settings s = load(Map.of(), Map.of());
    assertEquals(dir.toAbsolutePath().normalize(), s.stateDir());
    assertEquals("main", s.defaultAgent().value());
    assertEquals(Duration.ofSeconds(10), s.lockTimeout());
    assertEquals(Duration.ofMillis(250), s.store().watchInterval());
    assertEquals(Settings.Store.DEFAULT_MAX_FILE_BYTES, s.store().maxFileSize().asLongValue());
    assertEquals(0600, s.grpc().socketMode().bits());
    assertEquals(1024, s.grpc().maxStreamsPerCaller().value());
    assertEquals(Settings.Store.Backend.FILE, s.store().backend());
  }

  @Test
  void configYaml_isReadBelowTheEnvironment() throws Exception {
    Files.writeString(
        dir.resolve("config.yaml"),
        """
        tokensink:
          default-agent: work
          lock-timeout: 3s
          auth:
            order:
              anthropic: [anthropic:a, anthropic:b]
        """);
    Settings s = load(Map.of("TOKENSINK_LOCK_TIMEOUT", "5m"), Map.of());
    assertEquals("work", s.defaultAgent().value());
    assertEquals(Duration.ofMinutes(5), s.lockTimeout(), "env over config.yaml");
    assertEquals(List.of("anthropic:a", "anthropic:b"), s.auth().order().get("anthropic"));
  }

  @Test
  void stateDirFlag_winsOverTheEnvironment() {
    Settings s = SettingsLoader.load(dir.toString(), Map.of("TOKENSINK_STATE_DIR", "/nowhere"));
    assertEquals(dir.toAbsolutePath().normalize(), s.stateDir());
    Settings fromEnv = SettingsLoader.load(null, Map.of("TOKENSINK_STATE_DIR", dir.toString()));
    assertEquals(dir.toAbsolutePath().normalize(), fromEnv.stateDir());
  }

  @Test
  void listsAndSizes_readAsWritten() {
    Settings s =
        load(
            Map.of(),
            Map.of(
                "tokensink.auth.order.openai", "openai:a, openai:b",
                "tokensink.store.max-file-size", "512KiB",
                "tokensink.lock-timeout", "365d"));
    assertEquals(List.of("openai:a", "openai:b"), s.auth().order().get("openai"));
    assertEquals(512 * 1024, s.store().maxFileSize().asLongValue());
    assertEquals(Duration.ofDays(365), s.lockTimeout());
  }

  @Test
  void aValueThatDoesNotConvert_failsNamingTheKey() {
    for (Map.Entry<String, String> bad :
        Map.of(
                "tokensink.lock-timeout", "soon",
                "tokensink.grpc.socket-mode", "0666",
                "tokensink.grpc.max-streams-per-caller", "0",
                "tokensink.store.max-file-size", "0",
                "tokensink.store.backend", "mysql",
                "tokensink.default-agent", "Not An Agent",
                "tokensink.refresh.caller-wait", "0s")
            .entrySet()) {
      RuntimeException e =
          assertThrows(
              RuntimeException.class,
              () -> load(Map.of(), Map.of(bad.getKey(), bad.getValue())),
              bad.toString());
      assertTrue(
          e.getMessage().contains(bad.getKey()) && e.getMessage().contains(bad.getValue()),
          bad + ": " + e.getMessage());
    }
  }

  @Test
  void anUnknownKey_failsNamingIt() {
    RuntimeException e =
        assertThrows(
            RuntimeException.class, () -> load(Map.of(), Map.of("tokensink.lock-timout", "5s")));
    assertTrue(e.getMessage().contains("tokensink.lock-timout"), e.getMessage());
  }
}
