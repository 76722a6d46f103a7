package dev.tokensink.proxy;

import dev.tokensink.config.SettingsLoader;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;

/**
 * The credential proxy's settings ({@code tokensink.proxy.*}, docs/configuration.md) and the
 * per-provider upstream keys ({@code tokensink.providers.<id>.api-base-url}, {@code
 * credential-header}).
 *
 * @param port TCP port on {@code host}; 0 picks a free one (tests), -1 disables the TCP listener
 * @param socket a Unix domain socket path to listen on as well; empty for none
 * @param maxFailovers how many other profiles one request may be retried on
 * @param maxBufferedBody the largest request body kept in memory so the request can be retried and
 *     its {@code model} read; a larger body streams through without either
 * @param connectTimeout connecting to a provider
 * @param configured upstreams configured per provider id, overriding the built-in ones
 */
public record ProxySettings(
    boolean enabled,
    String host,
    int port,
    String socket,
    int maxFailovers,
    long maxBufferedBody,
    Duration connectTimeout,
    Map<String, UpstreamSettings> configured) {

  public static final int DEFAULT_PORT = 9092;
  public static final long DEFAULT_MAX_BUFFERED_BODY = 4L << 20;

  public ProxySettings {
    configured = Map.copyOf(configured);
    if (maxFailovers < 0 || maxFailovers > 10) {
      throw new IllegalArgumentException(
          "tokensink.proxy.max-failovers must be between 0 and 10, not " + maxFailovers);
    }
    if (port < -1 || port > 65535) {
      throw new IllegalArgumentException(
          "tokensink.proxy.port must be a port number (0 for any free port, -1 for none), not "
              + port);
    }
  }

  /** A provider's upstream as configured; null fields fall back to the built-in definition. */
  public record UpstreamSettings(String apiBaseUrl, String credentialHeader) {}

  public static ProxySettings from(Config c) {
    Map<String, UpstreamSettings> upstreams = new TreeMap<>();
    for (String id : providerIds(c)) {
      String p = "tokensink.providers." + id + ".";
      String base = str(c, p + "api-base-url");
      String header = str(c, p + "credential-header");
      if (base != null || header != null) {
        upstreams.put(id, new UpstreamSettings(base, header));
      }
    }
    return new ProxySettings(
        Boolean.parseBoolean(
            c.getOptionalValue("tokensink.proxy.enabled", String.class).orElse("true")),
        c.getOptionalValue("tokensink.proxy.host", String.class).orElse("127.0.0.1"),
        integer(c, "tokensink.proxy.port", DEFAULT_PORT),
        c.getOptionalValue("tokensink.proxy.socket", String.class).orElse(""),
        integer(c, "tokensink.proxy.max-failovers", 1),
        SettingsLoader.bytes(c, "tokensink.proxy.max-buffered-body", DEFAULT_MAX_BUFFERED_BODY),
        SettingsLoader.duration(c, "tokensink.proxy.connect-timeout", Duration.ofSeconds(10)),
        upstreams);
  }

  /** The ids under {@code tokensink.providers.} (quoted ids unquoted). */
  private static java.util.Set<String> providerIds(Config c) {
    java.util.Set<String> ids = new java.util.TreeSet<>();
    String prefix = "tokensink.providers.";
    for (String name : c.getPropertyNames()) {
      if (name.startsWith(prefix)) {
        String rest = name.substring(prefix.length());
        String id;
        if (rest.startsWith("\"")) {
          int close = rest.indexOf('"', 1);
          id = close > 0 ? rest.substring(1, close) : "";
        } else {
          int dot = rest.indexOf('.');
          id = dot < 0 ? rest : rest.substring(0, dot);
        }
        if (!id.isEmpty()) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  private static String str(Config c, String key) {
    return c.getOptionalValue(key, String.class).filter(s -> !s.isBlank()).orElse(null);
  }

  private static int integer(Config c, String key, int dflt) {
    String v = str(c, key);
    if (v == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, not '" + v + "'");
    }
  }
}
