package dev.tokensink.app;

import io.smallrye.config.source.yaml.YamlConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSourceProvider;

/**
 * {@code <stateDir>/config.yaml} as a configuration source of the service, ranked as
 * docs/configuration.md says: below environment variables (300) and {@code -D} system properties
 * (400), above the packaged application.properties (250) — the same ordinal the CLI gives it.
 * (Handed to Quarkus as {@code quarkus.config.locations} it would outrank both, so a Kubernetes env
 * override of a key in a mounted config.yaml would be ignored.) {@link ServeMain} sets {@code
 * tokensink.state-dir} before Quarkus starts; without it there is no file to add.
 */
public final class StateDirConfigSource implements ConfigSourceProvider {
  static final int ORDINAL = 260;

  @Override
  public Iterable<ConfigSource> getConfigSources(ClassLoader loader) {
    String dir = System.getProperty("tokensink.state-dir");
    if (dir == null || dir.isBlank()) {
      return List.of();
    }
    Path yaml = Path.of(dir).resolve("config.yaml");
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
