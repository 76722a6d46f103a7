package dev.tokensink.refresh;

import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.Secret;
import dev.tokensink.oauth.Providers;
import dev.tokensink.oauth.TokenClient;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.StoreException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Runs one {@link RefreshWork} inside the agent's store transaction and maps store failures. */
final class FlightRunner {
  private FlightRunner() {}

  /** Blocking: takes the agent lock (threads, processes, replicas) for the duration of the work. */
  static Outcome run(
      CredentialStore store,
      ProfileKey key,
      RefreshMode mode,
      Secret saw,
      TokenClient client,
      Providers providers,
      Lifetimes lifetimes,
      RefreshCounters counters,
      Clock clock) {
    try {
      return store.update(
          key.agent(),
          tx ->
              new RefreshWork(
                      key,
                      mode,
                      saw,
                      client,
                      providers,
                      lifetimes,
                      counters.endpointCalls::incrementAndGet,
                      clock.millis())
                  .run(tx));
    } catch (StoreException e) {
      // A replica that stalled past its lease (GC pause, SIGSTOP) finds its session gone and its
      // late
      // write refused (fencing): another replica took the lock meanwhile and may have stored a
      // newer
      // credential. Serve that one if it is usable, as a re-read under the lock would; else report.
      Optional<Outcome> newer = storedElsewhere(store, key, lifetimes, clock);
      if (newer.isPresent()) {
        return newer.get();
      }
      // Store messages name files and positions, never content.
      return Outcome.failed(
          new RefreshException(
              RefreshException.Kind.UNAVAILABLE,
              key.agent(),
              key.profile(),
              null,
              "cannot refresh profile "
                  + key.profile()
                  + " of agent "
                  + key.agent()
                  + ": "
                  + e.getMessage(),
              e),
          null,
          List.of());
    }
  }

  private static Optional<Outcome> storedElsewhere(
      CredentialStore store, ProfileKey key, Lifetimes lifetimes, Clock clock) {
    try {
      AgentSnapshot now = store.read(key.agent()).orElse(null);
      Profile p = now == null ? null : now.profile(key.profile());
      if (p == null
          || now.state().reauth().containsKey(key.profile())
          || now.state().refreshInFlight().containsKey(key.profile())
          || !(p.credential() instanceof Credential.OAuth o)
          || !Freshness.servable(o.expires(), lifetimes.of(key, o), clock.millis())) {
        return Optional.empty();
      }
      // handed to the cache like a write of ours, so this replica serves it at once
      return Optional.of(new Outcome(Outcome.Result.STORED, p, now, List.of(), null, null, null));
    } catch (StoreException unreachable) {
      return Optional.empty();
    }
  }
}
