package dev.tokensink.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.source.yaml.YamlConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * {@code <stateDir>/config.yaml} as a configuration source, the one both the service (registered in
 * {@code META-INF/services}) and the CLI ({@link SettingsLoader}) use. Ranked as
 * docs/configuration.md says: below environment variables (300) and {@code -D} system properties
 * (400), above the packaged application.properties (250). (Handed to Quarkus as {@code
 * quarkus.config.locations} it would outrank both, so a Kubernetes env override of a key in a
 * mounted config.yaml would be ignored.) The state dir is what the other sources say {@code
 * tokensink.state-dir} is; {@code serve} and the CLI set it from {@code --state-dir}, {@code
 * TOKENSINK_STATE_DIR} or {@code ~/.tokensink} before the configuration is built, and without it
 * there is no file to add.
 */
public final class StateDirConfigSource implements ConfigSourceFactory {
  static final int ORDINAL = 260;

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    ConfigValue dir = context.getValue("tokensink.state-dir");
    if (dir == null || dir.getValue() == null || dir.getValue().isBlank()) {
      return List.of();
    }
    Path yaml = Path.of(dir.getValue()).resolve("config.yaml");
    if (!Files.isRegularFile(yaml)) {
      return List.of();
    }
    try {
      return List.of(new YamlConfigSource(yaml.toUri().toURL(), ORDINAL));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + yaml + ": " + e.getMessage(), e);
    }
  }
}
