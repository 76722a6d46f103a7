package dev.tokensink.app;

import dev.tokensink.cache.AgentCache;
import dev.tokensink.store.CredentialStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/ready}: the store answers (while PostgreSQL is down this turns red, and cached,
 * still-valid credentials keep being served); a separate check reports how many profiles need a new
 * login — degraded, not down. {@code /q/health/live}: the process serves.
 */
public final class HealthChecks {
  private HealthChecks() {}

  @Readiness
  @ApplicationScoped
  static class StoreReady implements HealthCheck {
    private final CredentialStore store;

    StoreReady(CredentialStore store) {
      this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
      return HealthCheckResponse.named("store").status(store.healthy()).build();
    }
  }

  @Readiness
  @ApplicationScoped
  static class Reauth implements HealthCheck {
    private final AgentCache cache;

    Reauth(AgentCache cache) {
      this.cache = cache;
    }

    @Override
    public HealthCheckResponse call() {
      long n = cache.snapshots().stream().mapToLong(s -> s.state().reauth().size()).sum();
      // degraded, not down: the other profiles keep serving; `models status` names the ones to log
      // in again
      return HealthCheckResponse.named("profiles-needing-login")
          .up()
          .withData("count", n)
          .withData("state", n == 0 ? "ok" : "degraded")
          .build();
    }
  }

  /**
   * Agents whose files cannot be read (damaged, too large, a link): degraded, not down, since every
   * other agent is served. Names each agent and the reason, paths relative to the state dir.
   */
  @Readiness
  @ApplicationScoped
  static class AgentFiles implements HealthCheck {
    private final AgentCache cache;

    AgentFiles(AgentCache cache) {
      this.cache = cache;
    }

    @Override
    public HealthCheckResponse call() {
      var unreadable = cache.unreadable();
      var b =
          HealthCheckResponse.named("agent-files")
              .up()
              .withData("unreadable", unreadable.size())
              .withData("state", unreadable.isEmpty() ? "ok" : "degraded");
      unreadable.forEach((agent, e) -> b.withData("agent " + agent.value(), e.forCaller()));
      return b.build();
    }
  }

  @Liveness
  @ApplicationScoped
  static class Live implements HealthCheck {
    @Override
    public HealthCheckResponse call() {
      return HealthCheckResponse.up("tokensink");
    }
  }
}
