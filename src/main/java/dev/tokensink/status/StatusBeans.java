package dev.tokensink.status;

import dev.tokensink.broker.RefResolver;
import dev.tokensink.cache.AgentCache;
import dev.tokensink.config.Settings;
import dev.tokensink.refresh.RefreshCoordinator;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;

/**
 * CDI wiring of the status page (docs/api.md "Status page"; keys in docs/configuration.md under
 * {@code tokensink.status.*}).
 */
@Singleton
public class StatusBeans {
  static final int MIN_HISTORY = 200;

  @Produces
  @Singleton
  RefreshHistory history(Clock clock, Settings settings) {
    int size = settings.status().historySize();
    if (size < MIN_HISTORY || size > 100_000) {
      throw new IllegalArgumentException(
          "tokensink.status.history-size must be between "
              + MIN_HISTORY
              + " and 100000, not "
              + size);
    }
    String replica =
        settings
            .status()
            .replica()
            .filter(s -> !s.isBlank())
            .orElseGet(StatusBeans::defaultReplica);
    return new RefreshHistory(clock, replica, size);
  }

  @Produces
  @Singleton
  StatusSessions sessions(Clock clock, Settings settings) {
    Duration ttl = settings.status().sessionTtl();
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
      } catch (IOException e) {
        host = "localhost";
      }
    }
    return host + ":" + ProcessHandle.current().pid();
  }
}
