package dev.tokensink.proxy;

import dev.tokensink.config.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

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

  /** The proxy's keys and the providers' upstream keys of the configuration. */
  public static ProxySettings from(Settings settings) {
    Map<String, UpstreamSettings> upstreams = new TreeMap<>();
    settings
        .providers()
        .forEach(
            (id, p) -> {
              if (p.apiBaseUrl().isPresent() || p.credentialHeader().isPresent()) {
                upstreams.put(
                    id,
                    new UpstreamSettings(
                        p.apiBaseUrl().orElse(null), p.credentialHeader().orElse(null)));
              }
            });
    Settings.Proxy proxy = settings.proxy();
    return new ProxySettings(
        proxy.enabled(),
        proxy.host(),
        proxy.port(),
        proxy.socket().orElse(""),
        proxy.maxFailovers(),
        proxy.maxBufferedBody().asLongValue(),
        proxy.connectTimeout(),
        upstreams);
  }
}
