package dev.tokensink.status;

import dev.tokensink.broker.RefResolver;
import dev.tokensink.cache.AgentCache;
import dev.tokensink.config.Durations;
import dev.tokensink.config.Settings;
import dev.tokensink.refresh.RefreshCoordinator;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;

/**
 * CDI wiring of the status page (docs/api.md "Status page"; keys in docs/configuration.md under
 * {@code tokensink.status.*}).
 */
@Singleton
public class StatusBeans {
  static final int MIN_HISTORY = 200;

  @Produces
  @Singleton
  RefreshHistory history(Clock clock, Config config) {
    int size = config.getOptionalValue("tokensink.status.history-size", Integer.class).orElse(500);
    if (size < MIN_HISTORY || size > 100_000) {
      throw new IllegalArgumentException(
          "tokensink.status.history-size must be between "
              + MIN_HISTORY
              + " and 100000, not "
              + size);
    }
    String replica =
        config
            .getOptionalValue("tokensink.status.replica", String.class)
            .filter(s -> !s.isBlank())
            .orElseGet(StatusBeans::defaultReplica);
    return new RefreshHistory(clock, replica, size);
  }

  @Produces
  @Singleton
  StatusSessions sessions(Clock clock, Config config) {
    Duration ttl =
        config
            .getOptionalValue("tokensink.status.session-ttl", String.class)
            .map(Durations::parse)
            .orElse(Duration.ofHours(8));
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("tokensink.status.session-ttl must be positive");
    }
    return new StatusSessions(clock, ttl, 10_000);
  }

  @Produces
  @Singleton
  StatusView view(
      AgentCache cache,
      RefreshCoordinator coordinator,
      RefResolver refs,
      Settings settings,
      RefreshHistory history,
      Clock clock) {
    return new StatusView(cache, coordinator, refs, settings, history, clock);
  }

  /** The pod name in Kubernetes (HOSTNAME), else the host name, with the process id. */
  static String defaultReplica() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        host = "localhost";
      }
    }
    return host + ":" + ProcessHandle.current().pid();
  }
}
