package dev.tokensink.deploy;

import dev.tokensink.config.Settings;
import dev.tokensink.config.SettingsLoader;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration the packaged service would see in a container: its own {@code
 * application.properties}, the mounted {@code <stateDir>/config.yaml} (when any) and exactly the
 * container's environment, with the ordinals Quarkus gives them (env 300 over the state dir's YAML
 * over the packaged properties). Nothing of the test JVM's own environment or system properties
 * leaks in, so the manifests are judged on what they say.
 */
record AppConfig(SmallRyeConfig config) {

  static AppConfig of(Map<String, String> env, String configYaml) {
    SmallRyeConfigBuilder b = SettingsLoader.builder();
    URL props = AppConfig.class.getClassLoader().getResource("application.properties");
    try {
      b.withSources(new PropertiesConfigSource(props, 250));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (configYaml != null) {
      b.withSources(new YamlConfigSource("config.yaml", configYaml, 260));
    }
    b.withSources(new EnvConfigSource(Map.copyOf(env), 300));
    // the JVM's own user.home, for the default state dir ~/.tokensink
    b.withSources(
        new PropertiesConfigSource(
            Map.of("user.home", System.getProperty("user.home")), "jvm", 100));
    return new AppConfig(b.build());
  }

  /**
   * The typed settings, as {@code serve} builds them (throws when an expression cannot be
   * resolved).
   */
  Settings settings() {
    return SettingsLoader.of(config);
  }

  /** The state dir: TOKENSINK_STATE_DIR, else ~/.tokensink. */
  Path stateDir() {
    return settings().stateDir();
  }

  /**
   * Whether the service reads the environment variable {@code name}: a different value changes what
   * the service would run with (its settings or the Quarkus ports and hosts), or makes the
   * configuration fail to resolve.
   */
  static boolean reads(Map<String, String> env, String configYaml, String name) {
    List<Object> before = AppConfig.of(env, configYaml).effective();
    Map<String, String> changed = new HashMap<>(env);
    String v = env.get(name);
    changed.put(
        name, v.matches("[0-9]+") ? Integer.toString(Integer.parseInt(v) + 1) : v + "-changed");
    try {
      return !AppConfig.of(changed, configYaml).effective().equals(before);
    } catch (RuntimeException e) {
      return true;
    }
  }

  private List<Object> effective() {
    return List.of(settings(), grpcPort(), httpPort(), grpcHost(), httpHost());
  }

  /** The port the gRPC server binds (Quarkus' key, mapped from {@code tokensink.grpc.port}). */
  int grpcPort() {
    return config.getValue("quarkus.grpc.server.port", Integer.class);
  }

  /** The port of health and metrics (Quarkus' key, mapped from {@code tokensink.http.port}). */
  int httpPort() {
    return config.getValue("quarkus.http.port", Integer.class);
  }

  String grpcHost() {
    return config.getValue("quarkus.grpc.server.host", String.class);
  }

  String httpHost() {
    return config.getValue("quarkus.http.host", String.class);
  }
}
