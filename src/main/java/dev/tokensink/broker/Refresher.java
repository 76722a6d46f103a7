package dev.tokensink.broker;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.Profile;
import io.smallrye.mutiny.Uni;

/**
 * Makes an OAuth profile servable: answers at once (no I/O, no thread hop) when the cached credential
 * stays valid for the serving margin, else refreshes it (single flight) and answers with the
 * persisted result.
 */
@FunctionalInterface
public interface Refresher {
  Uni<Profile> ensureFresh(AgentId agent, Profile cached);
}
