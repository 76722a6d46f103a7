package dev.tokensink.config;

import dev.tokensink.model.AgentId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The typed configuration under {@code tokensink.} (docs/api.md), shared by {@code serve} and the
 * CLI. Built by {@link SettingsLoader} from one MicroProfile {@code Config}: Quarkus' own in the
 * service, a SmallRye config with the same sources in the CLI.
 */
public record Settings(
    Path stateDir,
    AgentId defaultAgent,
    Map<String, List<String>> authOrder,
    Map<String, ProviderSettings> providers,
    Map<String, CallerSettings> callers,
    Grpc grpc,
    Store store,
    Duration lockTimeout,
    Duration watchInterval,
    Refresh refresh) {

  public Settings {
    authOrder = Map.copyOf(authOrder);
    providers = Map.copyOf(providers);
    callers = Map.copyOf(callers);
  }

  /** A caller allowed to reach the service (docs/api.md {@code tokensink.callers}). */
  public record CallerSettings(
      String id, String tokenSha256, String certSubject, List<String> agents) {
    public CallerSettings {
      agents = agents == null ? List.of() : List.copyOf(agents);
    }

    @Override
    public String toString() {
      return "CallerSettings[" + id + ", agents=" + agents + "]";
    }
  }

  /**
   * {@code tokensink.refresh.*} (docs/rules.md §2): how long a sent refresh waits for its answer,
   * how long a caller waits on a refresh before the still-valid token or UNAVAILABLE, and the
   * bounds of the proactive scheduler (refreshes in flight at once, started per second).
   */
  public record Refresh(
      Duration answerTimeout, Duration callerWait, int maxInFlight, int maxPerSecond) {}

  /** Transport settings. */
  public record Grpc(String host, int port, String socket, boolean insecure) {}

  /**
   * Store backend: {@code file} (default) or {@code postgres}. {@code maxFileBytes} bounds a state
   * file the file store reads; {@code allowSymlinks} lets it follow a symlinked state file (refused
   * by default). {@code postgresLease}: how long a replica that stalls (GC pause, SIGSTOP) inside
   * an agent's update keeps that agent's lock before PostgreSQL ends its session; its later writes
   * are then fenced off.
   */
  public record Store(
      String backend,
      String postgresUrl,
      String postgresUser,
      String postgresPassword,
      String encryptionKey,
      long maxFileBytes,
      boolean allowSymlinks,
      Duration postgresLease) {
    public boolean postgres() {
      return "postgres".equalsIgnoreCase(backend);
    }

    @Override
    public String toString() {
      return "Store[" + backend + ", " + postgresUrl + "]";
    }
  }
}
