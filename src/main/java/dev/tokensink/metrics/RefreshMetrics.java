package dev.tokensink.metrics;

import dev.tokensink.refresh.RefreshObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Refresh flights by mode and result ({@code tokensink_refreshes_total}) and their duration ({@code
 * tokensink_refresh_duration_seconds}, lock wait and token call included). Labels come from two
 * small fixed sets (4 modes × 5 results). Flights are rare, so meters are looked up per flight.
 */
public final class RefreshMetrics implements RefreshObserver {
  static final String COUNT = "tokensink.refreshes";
  static final String DURATION = "tokensink.refresh.duration";

  private record Meters(Counter count, Timer duration) {}

  private final MeterRegistry registry;
  private final Map<String, Meters> meters = new ConcurrentHashMap<>();

  public RefreshMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void flightDone(String mode, String result, long nanos) {
    Meters m =
        meters.computeIfAbsent(
            mode + '/' + result,
            k ->
                new Meters(
                    Counter.builder(COUNT)
                        .description("Refresh flights (one per profile at a time) by result")
                        .tags("mode", mode, "result", result)
                        .register(registry),
                    Timer.builder(DURATION)
                        .description(
                            "Duration of refresh flights, lock wait and token call included")
                        .tags("mode", mode, "result", result)
                        .serviceLevelObjectives(
                            Duration.ofMillis(10),
                            Duration.ofMillis(50),
                            Duration.ofMillis(100),
                            Duration.ofMillis(250),
                            Duration.ofMillis(500),
                            Duration.ofSeconds(1),
                            Duration.ofMillis(2500),
                            Duration.ofSeconds(5),
                            Duration.ofSeconds(10),
                            Duration.ofSeconds(30))
                        .register(registry)));
    m.count().increment();
    m.duration().record(nanos, TimeUnit.NANOSECONDS);
  }
}
