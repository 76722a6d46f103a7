package dev.tokensink.broker;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.Profile;
import io.smallrye.mutiny.Uni;

/**
 * Makes an OAuth profile servable: answers at once (no I/O, no thread hop) when the cached
 * credential stays valid for the serving margin, else refreshes it (single flight) and answers with
 * the persisted result.
 */
@FunctionalInterface
public interface Refresher {
  Uni<Profile> ensureFresh(AgentId agent, Profile cached);

  /**
   * Whether {@link #ensureFresh} would answer {@code cached} itself at once because it stays valid
   * for the serving margin (no I/O, no lock, no allocation beyond a key). False when unsure: the
   * caller then takes {@link #ensureFresh}.
   */
  default boolean servableNow(AgentId agent, Profile cached) {
    return false;
  }
}
