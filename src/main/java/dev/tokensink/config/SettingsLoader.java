package dev.tokensink.config;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SysPropConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds {@link Settings} outside Quarkus (the CLI, and {@code serve}'s check before Quarkus
 * starts) from the sources the service reads, ranked alike: {@code --state-dir} (500), system
 * properties (400), the environment (300), {@code <stateDir>/config.yaml} (260, {@link
 * StateDirConfigSource}), the packaged application.properties (250), the mapping's defaults.
 */
public final class SettingsLoader {
  private SettingsLoader() {}

  /** The settings for a CLI run: {@code env} stands for the process environment. */
  public static Settings load(String stateDirFlag, Map<String, String> env) {
    return load(stateDirFlag, env, Map.of());
  }

  /**
   * The same with {@code overrides} ranked between {@code --state-dir} and system properties. The
   * state dir is made absolute before its config.yaml is read.
   */
  public static Settings load(
      String stateDirFlag, Map<String, String> env, Map<String, String> overrides) {
    return of(config(stateDirFlag, env, overrides));
  }

  /** The configuration {@link #load} maps, for the Quarkus keys {@code serve} checks first. */
  public static SmallRyeConfig config(
      String stateDirFlag, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> top = new HashMap<>();
    Path dir;
    if (stateDirFlag != null && !stateDirFlag.isBlank()) {
      // --state-dir outranks every source: no first mapping is needed to find the dir (one mapping
      // is a sizeable part of a CLI run's start-up)
      dir = Path.of(stateDirFlag).toAbsolutePath().normalize();
    } else {
      dir = of(sources(top, env, overrides)).stateDir().toAbsolutePath().normalize();
    }
    top.put("tokensink.state-dir", dir.toString());
    return sources(top, env, overrides);
  }

  /**
   * A builder that maps {@link Settings} with the service's converters; the caller adds the
   * sources.
   */
  public static SmallRyeConfigBuilder builder() {
    // an unknown tokensink.* key (a typo in config.yaml) fails, naming it, as it does in Quarkus
    return new SmallRyeConfigBuilder()
        .addDefaultInterceptors()
        .addDiscoveredConverters()
        .withMapping(Settings.class);
  }

  /** The mapping of a built configuration; throws naming the key when a value does not convert. */
  public static Settings of(SmallRyeConfig config) {
    return config.getConfigMapping(Settings.class);
  }

  private static SmallRyeConfig sources(
      Map<String, String> top, Map<String, String> env, Map<String, String> overrides) {
    SmallRyeConfigBuilder b =
        builder()
            .withSources(new PropertiesConfigSource(top, "--state-dir", 500))
            .withSources(new PropertiesConfigSource(overrides, "overrides", 450))
            .withSources(new SysPropConfigSource())
            .withSources(new EnvConfigSource(env, 300))
            .withSources(new StateDirConfigSource());
    URL props = SettingsLoader.class.getClassLoader().getResource("application.properties");
    if (props != null) {
      try {
        b.withSources(new PropertiesConfigSource(props, 250));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read configuration: " + e.getMessage(), e);
      }
    }
    return b.build();
  }
}
