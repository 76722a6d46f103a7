package dev.tokensink.refresh;

import dev.tokensink.model.Secret;
import dev.tokensink.oauth.Providers;
import dev.tokensink.oauth.TokenClient;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.StoreException;
import java.time.Clock;
import java.util.List;

/** Runs one {@link RefreshWork} inside the agent's store transaction and maps store failures. */
final class FlightRunner {
  private FlightRunner() {}

  /** Blocking: takes the agent lock (threads, processes, replicas) for the duration of the work. */
  static Outcome run(CredentialStore store, ProfileKey key, RefreshMode mode, Secret saw, TokenClient client,
      Providers providers, Lifetimes lifetimes, RefreshCounters counters, Clock clock) {
    try {
      return store.update(key.agent(), tx -> new RefreshWork(key, mode, saw, client, providers, lifetimes,
          counters.endpointCalls::incrementAndGet, clock.millis()).run(tx));
    } catch (StoreException e) {
      // Store messages name files and positions, never content.
      return Outcome.failed(new RefreshException(RefreshException.Kind.UNAVAILABLE, key.agent(), key.profile(), null,
          "cannot refresh profile " + key.profile() + " of agent " + key.agent() + ": " + e.getMessage(), e),
          null, List.of());
    }
  }
}
