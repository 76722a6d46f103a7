package dev.tokensink.refresh;

import dev.tokensink.config.ProviderSettings;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.Secret;
import dev.tokensink.oauth.Providers;
import dev.tokensink.oauth.TokenClient;
import dev.tokensink.oauth.TokenEndpointException;
import dev.tokensink.oauth.TokenResponse;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.RefreshLease;
import dev.tokensink.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs one {@link RefreshWork} under the profile's refresh lease and maps store failures. The lease
 * (not the agent lock) is what keeps one refresh per profile across processes and replicas while
 * the token call waits for its answer (docs/rules.md §2, §7).
 */
final class FlightRunner implements RefreshWork.Steps {
  private final CredentialStore store;
  private final ProfileKey key;
  private final TokenClient client;
  private final Providers providers;
  private final Lifetimes lifetimes;
  private final RefreshCounters counters;
  private final Clock clock;

  FlightRunner(
      CredentialStore store,
      ProfileKey key,
      TokenClient client,
      Providers providers,
      Lifetimes lifetimes,
      RefreshCounters counters,
      Clock clock) {
    this.store = store;
    this.key = key;
    this.client = client;
    this.providers = providers;
    this.lifetimes = lifetimes;
    this.counters = counters;
    this.clock = clock;
  }

  /**
   * Blocking: waits up to {@code leaseWait} for another holder of the profile's lease (in this
   * process, another process, another replica), then runs the work. Recovery waits for no one: a
   * marker whose lease is held belongs to a live refresh.
   */
  Outcome run(RefreshMode mode, Secret saw, Duration leaseWait) {
    try {
      Optional<RefreshLease> lease =
          store.refreshLease(
              key.agent(), key.profile(), mode == RefreshMode.RECOVER ? Duration.ZERO : leaseWait);
      if (lease.isEmpty()) {
        return busy(leaseWait);
      }
      try (RefreshLease held = lease.get()) {
        return new RefreshWork(key, mode, saw, this).run();
      }
    } catch (StoreException e) {
      // A replica that stalled past its lease (GC pause, SIGSTOP) may find its late write refused
      // (fencing): another replica may have stored a newer credential meanwhile. Serve that one if
      // it is usable, as a re-read would; else report.
      Optional<Outcome> newer = storedElsewhere();
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

  private Outcome busy(Duration waited) {
    Profile p = read().map(s -> s.profile(key.profile())).orElse(null);
    String why =
        "another process or replica is refreshing it and has not finished within "
            + waited.toSeconds()
            + " s";
    return new Outcome(Outcome.Result.BUSY, p, null, List.of(), null, why, null, false);
  }

  private Optional<Outcome> storedElsewhere() {
    AgentSnapshot now = read().orElse(null);
    Profile p = now == null ? null : now.profile(key.profile());
    if (p == null
        || now.state().reauth().containsKey(key.profile())
        || now.state().refreshInFlight().containsKey(key.profile())
        || !(p.credential() instanceof Credential.OAuth o)
        || !Freshness.servable(o.expires(), lifetimes.of(key, o), clock.millis())) {
      return Optional.empty();
    }
    // handed to the cache like a write of ours, so this replica serves it at once
    return Optional.of(
        new Outcome(Outcome.Result.STORED, p, now, List.of(), null, null, null, false));
  }

  private Optional<AgentSnapshot> read() {
    try {
      return store.read(key.agent());
    } catch (StoreException unreachable) {
      return Optional.empty();
    }
  }

  @Override
  public <T> T underAgentLock(CredentialStore.AgentWork<T> work) {
    return store.update(key.agent(), work);
  }

  @Override
  public TokenResponse refresh(ProviderSettings p, Secret token) throws TokenEndpointException {
    counters.endpointCalls.incrementAndGet();
    return client.refresh(p, token);
  }

  @Override
  public boolean introspect(ProviderSettings p, Secret token) throws TokenEndpointException {
    counters.introspections.incrementAndGet();
    return client.introspect(p, token);
  }

  @Override
  public ProviderSettings provider(String id) {
    return providers.find(id).orElse(null);
  }

  @Override
  public Duration lifetime(Credential.OAuth stored) {
    return lifetimes.of(key, stored);
  }

  @Override
  public long now() {
    return clock.millis();
  }
}
