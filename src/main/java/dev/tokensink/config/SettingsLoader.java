package dev.tokensink.config;

import dev.tokensink.model.AgentId;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;

/**
 * Maps {@code tokensink.*} keys of a MicroProfile {@link Config} to {@link Settings}, and builds
 * the CLI's config from the same sources the service uses: system properties, environment, the
 * state dir's {@code config.yaml}, and the packaged {@code application.properties}.
 */
public final class SettingsLoader {
  static final String PREFIX = "tokensink.";

  /** Default bound of one state file the file store reads (tokensink.store.max-file-size). */
  public static final long DEFAULT_MAX_FILE_BYTES = 4L << 20;

  private SettingsLoader() {}

  /**
   * The state dir: explicit flag, else {@code tokensink.state-dir} / TOKENSINK_STATE_DIR, else
   * ~/.tokensink.
   */
  public static Path resolveStateDir(String flag, Map<String, String> env) {
    if (flag != null && !flag.isBlank()) {
      return Path.of(flag).toAbsolutePath().normalize();
    }
    String prop = System.getProperty("tokensink.state-dir");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop).toAbsolutePath().normalize();
    }
    String fromEnv = env.get("TOKENSINK_STATE_DIR");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv).toAbsolutePath().normalize();
    }
    return Path.of(System.getProperty("user.home"), ".tokensink");
  }

  /** The CLI's config: the service's sources, with {@code <stateDir>/config.yaml} layered in. */
  public static SmallRyeConfig cliConfig(Path stateDir) {
    SmallRyeConfigBuilder b =
        new SmallRyeConfigBuilder().addDefaultSources().addDefaultInterceptors();
    URL props = SettingsLoader.class.getClassLoader().getResource("application.properties");
    try {
      if (props != null) {
        b.withSources(new PropertiesConfigSource(props, 250));
      }
      Path yaml = stateDir.resolve("config.yaml");
      if (Files.isRegularFile(yaml)) {
        b.withSources(new YamlConfigSource(yaml.toUri().toURL(), 260));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read configuration: " + e.getMessage(), e);
    }
    return b.build();
  }

  /** Maps the {@code tokensink.*} keys; {@code stateDir} is already resolved by the caller. */
  public static Settings from(Config c, Path stateDir) {
    Map<String, List<String>> order = new TreeMap<>();
    for (String provider : children(c, "tokensink.auth.order.")) {
      order.put(provider, list(c, "tokensink.auth.order." + provider));
    }
    Map<String, ProviderSettings> providers = new TreeMap<>();
    for (String id : children(c, "tokensink.providers.")) {
      providers.put(id, provider(c, id));
    }
    Map<String, Settings.CallerSettings> callers = new TreeMap<>();
    for (String id : children(c, "tokensink.callers.")) {
      String p = "tokensink.callers." + id + ".";
      callers.put(
          id,
          new Settings.CallerSettings(
              id,
              str(c, p + "token-sha256", null),
              str(c, p + "cert-subject", null),
              list(c, p + "agents")));
    }
    return new Settings(
        stateDir,
        AgentId.of(str(c, "tokensink.default-agent", "main")),
        order,
        providers,
        callers,
        new Settings.Grpc(
            str(c, "tokensink.grpc.host", "127.0.0.1"),
            Integer.parseInt(str(c, "tokensink.grpc.port", "9090")),
            str(c, "tokensink.grpc.socket", ""),
            Boolean.parseBoolean(str(c, "tokensink.grpc.insecure", "false"))),
        new Settings.Store(
            str(c, "tokensink.store.backend", "file"),
            str(c, "tokensink.store.postgres.url", null),
            str(c, "tokensink.store.postgres.username", null),
            str(c, "tokensink.store.postgres.password", null),
            str(c, "tokensink.encryption-key", null),
            bytes(c, "tokensink.store.max-file-size", DEFAULT_MAX_FILE_BYTES),
            Boolean.parseBoolean(str(c, "tokensink.store.allow-symlinks", "false")),
            duration(c, "tokensink.store.postgres.lease", Duration.ofSeconds(60))),
        duration(c, "tokensink.lock-timeout", Duration.ofSeconds(10)),
        duration(c, "tokensink.store.watch-interval", Duration.ofMillis(250)),
        new Settings.Refresh(
            positive(c, "tokensink.refresh.answer-timeout", Duration.ofSeconds(120)),
            positive(c, "tokensink.refresh.caller-wait", Duration.ofSeconds(5)),
            atLeastOne(c, "tokensink.refresh.max-in-flight", 16),
            atLeastOne(c, "tokensink.refresh.max-per-second", 200)));
  }

  private static ProviderSettings provider(Config c, String id) {
    String p = "tokensink.providers." + id + ".";
    Map<String, String> params = new LinkedHashMap<>();
    for (String k : children(c, p + "authorize-params.")) {
      params.put(k, str(c, p + "authorize-params." + k, ""));
    }
    return new ProviderSettings(
        id,
        str(c, p + "authorize-url", null),
        str(c, p + "token-url", null),
        str(c, p + "client-id", null),
        str(c, p + "client-secret", null),
        list(c, p + "scopes"),
        str(c, p + "redirect-uri", null),
        params,
        str(c, p + "token-request", "form"),
        str(c, p + "account-id-claim", null),
        str(c, p + "revoke-url", null),
        duration(c, p + "refresh-grace", Duration.ZERO),
        str(c, p + "introspection-url", null));
  }

  /** Distinct next path segments under {@code prefix} (ignoring list indexes). */
  static List<String> children(Config c, String prefix) {
    TreeSet<String> out = new TreeSet<>();
    for (String name : c.getPropertyNames()) {
      if (name.startsWith(prefix)) {
        String rest = name.substring(prefix.length());
        int end = rest.length();
        for (char stop : new char[] {'.', '['}) {
          int i = rest.indexOf(stop);
          if (i >= 0 && i < end) {
            end = i;
          }
        }
        String seg = rest.substring(0, end);
        if (seg.startsWith("\"") && seg.endsWith("\"") && seg.length() > 1) {
          seg = seg.substring(1, seg.length() - 1);
        }
        if (!seg.isEmpty()) {
          out.add(seg);
        }
      }
    }
    return new ArrayList<>(out);
  }

  static String str(Config c, String key, String dflt) {
    return c.getOptionalValue(key, String.class).filter(s -> !s.isBlank()).orElse(dflt);
  }

  static List<String> list(Config c, String key) {
    Optional<List<String>> v = c.getOptionalValues(key, String.class);
    return v.map(l -> l.stream().map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }

  /** A size in bytes: {@code 4194304}, {@code 512KiB}, {@code 4MiB}. */
  public static long bytes(Config c, String key, long dflt) {
    String v = str(c, key, null);
    if (v == null) {
      return dflt;
    }
    String t = v.trim();
    long unit = 1;
    for (String[] u : new String[][] {{"KiB", "1024"}, {"MiB", "1048576"}, {"GiB", "1073741824"}}) {
      if (t.endsWith(u[0])) {
        unit = Long.parseLong(u[1]);
        t = t.substring(0, t.length() - u[0].length()).trim();
      }
    }
    try {
      long n = Long.parseLong(t);
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          key + " must be a positive size such as 4194304, 512KiB or 4MiB, not '" + v + "'");
    }
  }

  /** A {@link #duration} that must be longer than zero; the error names the key. */
  static int atLeastOne(Config c, String key, int dflt) {
    String v = str(c, key, Integer.toString(dflt));
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        key + " must be a whole number of at least 1, not '" + v + "'");
  }

  static Duration positive(Config c, String key, Duration dflt) {
    Duration d;
    try {
      d = duration(c, key, dflt);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          key + " must be a duration such as 120s or 2m: " + e.getMessage());
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be longer than zero, not " + d);
    }
    return d;
  }

  /** {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 250ms}, or ISO-8601 {@code PT30S}. */
  public static Duration duration(Config c, String key, Duration dflt) {
    String v = str(c, key, null);
    return v == null ? dflt : Durations.parse(v);
  }
}
