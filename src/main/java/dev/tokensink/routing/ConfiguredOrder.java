package dev.tokensink.routing;

import java.util.List;
import java.util.Map;

/**
 * The configured {@code auth.order} routing uses (source 4 of docs/rules.md §3): {@code
 * tokensink.auth.order}, over the {@code auth.order} of an OpenClaw state dir's {@code
 * openclaw.json} for the providers tokensink's own configuration does not name.
 *
 * @param byProvider provider → profile ids, in order
 */
public record ConfiguredOrder(Map<String, List<String>> byProvider) {
  public ConfiguredOrder {
    byProvider = Map.copyOf(byProvider);
  }
}
