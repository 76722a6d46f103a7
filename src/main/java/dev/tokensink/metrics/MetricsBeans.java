package dev.tokensink.metrics;

import dev.tokensink.broker.Broker;
import dev.tokensink.broker.RefResolver;
import dev.tokensink.cache.AgentCache;
import dev.tokensink.events.EventHub;
import dev.tokensink.oauth.Providers;
import dev.tokensink.refresh.RefreshCoordinator;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * CDI wiring of the service's metrics (docs/monitoring.md). Meters that read state (profiles by
 * state, stream subscribers, refresh counters) are registered at start-up and computed when {@code
 * /q/metrics} is scraped; counters on the request path are pre-resolved.
 */
@Singleton
public class MetricsBeans {
  static final String PROFILES = "tokensink.profiles";
  static final String SUBSCRIBERS = "tokensink.stream.subscribers";
  static final String DROPPED = "tokensink.stream.events.dropped";
  static final String ENDPOINT_CALLS = "tokensink.refresh.endpoint.calls";
  static final String WAITERS = "tokensink.refresh.waiters";

  @Produces
  @Singleton
  CredentialMetrics credentialMetrics(
      MeterRegistry registry, AgentCache cache, Providers providers) {
    return new CredentialMetrics(registry, cache, providers);
  }

  @Produces
  @Singleton
  RefreshMetrics refreshMetrics(MeterRegistry registry) {
    return new RefreshMetrics(registry);
  }

  @Produces
  @Singleton
  CooldownMetrics cooldownMetrics(MeterRegistry registry) {
    return new CooldownMetrics(registry);
  }

  @Produces
  @Singleton
  ProfileStates profileStates(AgentCache cache, RefResolver refs, Clock clock) {
    return new ProfileStates(cache, Broker.checks(refs), clock);
  }

  void register(
      @Observes StartupEvent ev,
      MeterRegistry registry,
      ProfileStates states,
      EventHub hub,
      RefreshCoordinator coordinator,
      CooldownMetrics cooldowns) {
    // cooldowns is injected so its counters exist (at 0) from start-up, before the first
    // ReportOutcome
    for (ProfileStates.State s : ProfileStates.State.values()) {
      Gauge.builder(PROFILES, states, st -> st.count(s))
          .description(
              "Stored profiles by state (ok, expiring, cooldown, disabled, reauth_required)")
          .tag("state", s.label())
          .strongReference(true)
          .register(registry);
    }
    Gauge.builder(SUBSCRIBERS, hub, EventHub::subscriberCount)
        .description("Open StreamExpiryEvents subscriptions")
        .strongReference(true)
        .register(registry);
    FunctionCounter.builder(DROPPED, hub, EventHub::droppedEvents)
        .description(
            "Events dropped for slow stream subscribers (oldest first), open subscriptions only")
        .register(registry);
    FunctionCounter.builder(ENDPOINT_CALLS, coordinator, c -> c.counters().endpointCalls())
        .description("Refresh requests sent to token endpoints")
        .register(registry);
    FunctionCounter.builder(WAITERS, coordinator, c -> c.counters().waiters())
        .description(
            "GetCredential and outcome callers that waited on a refresh (0 while proactive refresh keeps up)")
        .register(registry);
  }
}
