package dev.tokensink.testing;

import dev.tokensink.config.Env;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;

/**
 * Replaces the service's clock and environment in {@code @QuarkusTest}s: time moves only when a
 * test moves {@link #CLOCK}, and the developer's real API keys never leak into fixture tests.
 */
@Singleton
public class TestProducers {
  /**
   * The clock every @QuarkusTest's service sees; tests reset it in @BeforeEach when they depend on
   * it.
   */
  public static final MutableClock CLOCK = MutableClock.at("2026-11-23T12:00:00Z");

  @Produces
  @Alternative
  @Priority(1)
  @Singleton
  Clock clock() {
    return CLOCK;
  }

  @Produces
  @Alternative
  @Priority(1)
  @Singleton
  Env env() {
    return new Env(Map.of());
  }
}
