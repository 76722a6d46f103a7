package dev.tokensink.metrics;

import dev.tokensink.cooldown.Transition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code tokensink_cooldowns_started_total{kind}}: cooldown and disabled windows that began. */
public final class CooldownMetrics {
  static final String NAME = "tokensink.cooldowns.started";

  private final Counter cooldown;
  private final Counter disabled;

  public CooldownMetrics(MeterRegistry registry) {
    cooldown = counter(registry, "cooldown");
    disabled = counter(registry, "disabled");
  }

  private static Counter counter(MeterRegistry registry, String kind) {
    return Counter.builder(NAME)
        .description(
            "Cooldown windows (rate limits, overload, timeouts) and disabled windows (billing) started")
        .tag("kind", kind)
        .register(registry);
  }

  public void transition(Transition t) {
    switch (t.type()) {
      case COOLDOWN_STARTED -> cooldown.increment();
      case DISABLED_STARTED -> disabled.increment();
      case ENDED -> {}
    }
  }
}
