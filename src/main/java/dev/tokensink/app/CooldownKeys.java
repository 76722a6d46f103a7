package dev.tokensink.app;

import dev.tokensink.config.Settings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code tokensink.cooldown.*} values of the typed configuration as (key → text), the form
 * {@code cooldown.CooldownConfig} checks together (docs/cooldowns.md), so its messages name the key
 * a user wrote.
 */
final class CooldownKeys {
  private CooldownKeys() {}

  static Function<String, Optional<String>> of(Settings.Cooldown c) {
    Map<String, String> m = new LinkedHashMap<>();
    String p = "tokensink.cooldown.";
    m.put(p + "preset", c.preset());
    ladder(m, p + "rate-limit.", c.rateLimit());
    ladder(m, p + "overloaded.", c.overloaded());
    ladder(m, p + "auth.", c.auth());
    ladder(m, p + "unknown.", c.unknown());
    ladder(m, p + "model-not-found.", c.modelNotFound());
    ladder(m, p + "billing.", c.billing());
    ladder(m, p + "auth-permanent.", c.authPermanent());
    m.put(p + "usage-limit.default", c.usageLimit().defaultBlock());
    m.put(p + "usage-limit.max", c.usageLimit().max());
    m.put(p + "usage-limit.probe-interval", c.usageLimit().probeInterval());
    m.put(p + "retry-after.max", c.retryAfter().max());
    m.put(p + "failure-window", c.failureWindow());
    return k -> Optional.ofNullable(m.get(k));
  }

  private static void ladder(Map<String, String> m, String prefix, Settings.Cooldown.LadderKeys l) {
    l.initial().ifPresent(v -> m.put(prefix + "initial", v));
    l.steps().ifPresent(v -> m.put(prefix + "steps", String.join(",", v)));
    l.max().ifPresent(v -> m.put(prefix + "max", v));
  }
}
