package dev.tokensink.refresh;

import dev.tokensink.events.LifecycleEvent;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import dev.tokensink.oauth.Providers;
import dev.tokensink.oauth.TokenClient;
import dev.tokensink.store.CredentialStore;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Keeps OAuth profiles fresh (docs/rules.md §2): serving checks, single-flight refresh, forced
 * refresh after AUTH_FAILED, the proactive scheduler tick and crash recovery at start-up.
 *
 * <p>Concurrency contract:
 *
 * <ul>
 *   <li>Every public method may be called from any thread, including a Vert.x event loop: none of
 *       them blocks. A servable credential is returned at once (no I/O, no lock, no thread hop).
 *   <li>All blocking work (leases, agent lock, token endpoint, disk) runs on the injected worker
 *       {@code executor}, one flight per (agent, profile) in this process ({@link Flights}); across
 *       processes and replicas the profile's refresh lease serializes flights, and each re-reads
 *       first. The agent lock is held only for the short reads and writes around the token call.
 *   <li>Every caller of one flight gets the same profile or the same {@link RefreshException}, or,
 *       when the flight outlasts {@code caller-wait}, the still-valid stored token or UNAVAILABLE:
 *       no caller waits longer than {@code caller-wait} on a refresh, while the flight goes on.
 *       Flight results complete on a worker thread, after the new credential was persisted, handed
 *       to {@code onPersisted} (the cache) and its events published.
 * </ul>
 */
public final class RefreshCoordinator {
  private final CredentialStore store;
  private final TokenClient client;
  private final Providers providers;
  private final Clock clock;
  private final Consumer<AgentSnapshot> onPersisted;
  private final Consumer<LifecycleEvent> events;
  private final Lifetimes lifetimes = new Lifetimes();
  private final Backoff backoff;
  private final Flights flights;
  private final ProactivePacer pacer;
  private final RefreshCounters counters = new RefreshCounters();
  private final RefreshObserver observer;
  private final RefreshSettings settings;

  public RefreshCoordinator(
      CredentialStore store,
      TokenClient client,
      Providers providers,
      Executor executor,
      Clock clock,
      RefreshSettings settings,
      Consumer<AgentSnapshot> onPersisted,
      Consumer<LifecycleEvent> events) {
    this(
        store,
        client,
        providers,
        executor,
        clock,
        settings,
        onPersisted,
        events,
        RefreshObserver.NONE);
  }

  /** As above, telling {@code observer} the result and duration of every flight (metrics). */
  public RefreshCoordinator(
      CredentialStore store,
      TokenClient client,
      Providers providers,
      Executor executor,
      Clock clock,
      RefreshSettings settings,
      Consumer<AgentSnapshot> onPersisted,
      Consumer<LifecycleEvent> events,
      RefreshObserver observer) {
    this.observer = observer;
    this.settings = settings;
    this.store = store;
    this.client = client;
    this.providers = providers;
    this.clock = clock;
    this.onPersisted = onPersisted;
    this.events = events;
    this.backoff = new Backoff(settings);
    this.flights = new Flights(executor, counters, this::runFlight);
    this.pacer =
        new ProactivePacer(
            settings.proactiveMaxInFlight(),
            settings.proactivePerSecond(),
            clock,
            key -> flights.join(key, RefreshMode.PROACTIVE, null));
  }

  /**
   * {@code cached} itself when it may be served now (not OAuth, or valid for at least the serving
   * margin); else the result of a single-flight refresh. While the endpoint is in backoff after
   * transient failures, a not yet expired {@code cached} is served and an expired one fails {@link
   * RefreshException.Kind#UNAVAILABLE} without a call.
   */
  public Uni<Profile> ensureFresh(AgentId agent, Profile cached) {
    if (!(cached.credential() instanceof Credential.OAuth o)) {
      return Uni.createFrom().item(cached);
    }
    ProfileKey key = new ProfileKey(agent, cached.id());
    long now = clock.millis();
    if (Freshness.servable(o.expires(), lifetimes.of(key, o), now)) {
      return Uni.createFrom().item(cached);
    }
    Long blocked = backoff.blockedUntil(key, now);
    if (blocked != null) {
      return o.expires() > now
          ? Uni.createFrom().item(cached)
          : Uni.createFrom().failure(unavailable(key, blocked, "the token endpoint is failing"));
    }
    return Uni.createFrom()
        .deferred(() -> wait(key, flights.join(key, RefreshMode.SERVE, null), cached));
  }

  /**
   * True when {@link #ensureFresh} answers {@code cached} itself through its first branch: a
   * non-OAuth profile, or an OAuth one valid for at least the serving margin. No I/O, no lock.
   */
  public boolean servableNow(AgentId agent, Profile cached) {
    if (!(cached.credential() instanceof Credential.OAuth o)) {
      return true;
    }
    return Freshness.servable(
        o.expires(), lifetimes.of(new ProfileKey(agent, cached.id()), o), clock.millis());
  }

  /**
   * One refresh of an OAuth profile whose access token the provider rejected (ReportOutcome
   * AUTH_FAILED), even if {@code expires} is in the future; no endpoint call if the stored access
   * token already differs from {@code accessTheCallerSaw}. Single-flight per profile.
   */
  public Uni<Profile> forceRefresh(AgentId agent, ProfileId id, Secret accessTheCallerSaw) {
    ProfileKey key = new ProfileKey(agent, id);
    Long blocked = backoff.blockedUntil(key, clock.millis());
    if (blocked != null) {
      return Uni.createFrom().failure(unavailable(key, blocked, "the token endpoint is failing"));
    }
    // The caller's token was refused: after caller-wait it gets UNAVAILABLE, never that token.
    return Uni.createFrom()
        .deferred(() -> wait(key, flights.join(key, RefreshMode.FORCE, accessTheCallerSaw), null));
  }

  /**
   * The proactive scheduler: refreshes every OAuth profile inside its jittered refresh window,
   * skipping profiles that need re-auth or are in backoff, earliest refresh moment first and paced
   * by {@link ProactivePacer} (at most {@link RefreshSettings#proactiveMaxInFlight} at once and
   * {@link RefreshSettings#proactivePerSecond} started per second; the rest start as slots free up
   * or at the next tick). Returns at once; the stage completes when the flights this call started
   * are done (failures are reported as events, never thrown).
   */
  public CompletableFuture<Void> tick(Collection<AgentSnapshot> snapshots) {
    long now = clock.millis();
    List<Due> due = new ArrayList<>();
    for (AgentSnapshot s : snapshots) {
      for (Profile p : s.profiles().values()) {
        if (!(p.credential() instanceof Credential.OAuth o)
            || s.state().reauth().containsKey(p.id())) {
          continue;
        }
        ProfileKey key = new ProfileKey(s.agent(), p.id());
        long at =
            Freshness.refreshAt(
                o.expires(), lifetimes.of(key, o), () -> Lifetimes.jitter(key, o.expires()));
        if (now >= at && backoff.blockedUntil(key, now) == null) {
          due.add(new Due(key, at));
        }
      }
    }
    due.sort(Comparator.comparingLong(Due::at));
    return settle(pacer.offer(due.stream().map(Due::key).toList()));
  }

  private record Due(ProfileKey key, long at) {}

  /** Proactive refreshes running now and waiting for a slot (metrics, the scale bench). */
  public int proactiveInFlight() {
    return pacer.inFlight();
  }

  /** The most proactive refreshes that ran at once since start. */
  public int proactiveMaxInFlightSeen() {
    return pacer.maxInFlightSeen();
  }

  /** Profiles due for a proactive refresh that wait for a slot or the next second. */
  public int proactiveWaiting() {
    return pacer.waiting();
  }

  /**
   * Start-up: handles every "refresh in flight" marker a crashed process left (docs/rules.md §2):
   * retried when the provider's refresh grace is longer than the marker's age, else REAUTH_REQUIRED
   * with the reason "refresh interrupted by a crash". The stage completes when all are handled.
   */
  public CompletableFuture<Void> recoverInterrupted(Collection<AgentSnapshot> snapshots) {
    List<CompletableFuture<Profile>> started = new ArrayList<>();
    for (AgentSnapshot s : snapshots) {
      for (ProfileId id : s.state().refreshInFlight().keySet()) {
        started.add(flights.join(new ProfileKey(s.agent(), id), RefreshMode.RECOVER, null));
      }
    }
    return settle(started);
  }

  /**
   * Records {@code expires_in} of a code exchange (login), so serving margins use the real
   * lifetime.
   */
  public void rememberLifetime(AgentId agent, ProfileId id, Duration lifetime) {
    lifetimes.remember(new ProfileKey(agent, id), lifetime);
  }

  /**
   * For the status page: when the scheduler will refresh this OAuth profile (epoch ms, jitter
   * included), and when its current access token was issued (expiry minus its known lifetime). Null
   * for a profile that is not refreshed by tokensink (no OAuth, no refresh token). No I/O.
   */
  public Schedule schedule(AgentId agent, Profile p) {
    if (!(p.credential() instanceof Credential.OAuth o)
        || o.refresh() == null
        || o.refresh().isBlank()) {
      return null;
    }
    ProfileKey key = new ProfileKey(agent, p.id());
    Duration lifetime = lifetimes.of(key, o);
    long at = Freshness.refreshAt(o.expires(), lifetime, () -> Lifetimes.jitter(key, o.expires()));
    return new Schedule(o.expires() - lifetime.toMillis(), at);
  }

  /** See {@link #schedule}: epoch ms. */
  public record Schedule(long issuedAtMs, long refreshAtMs) {}

  public RefreshCounters.Snapshot counters() {
    return counters.snapshot();
  }

  /**
   * The flight's result if it comes within what is left of {@code caller-wait} (counted from the
   * flight's start, so callers that arrive late to a stuck flight do not wait again); else {@code
   * cached} while still valid, else UNAVAILABLE. The flight goes on either way.
   */
  private Uni<Profile> wait(ProfileKey key, Flights.Flight flight, Profile cached) {
    counters.waiters.incrementAndGet();
    // A copy: a caller that cancels must not cancel the flight the others wait on.
    Uni<Profile> result = Uni.createFrom().completionStage(flight.copy());
    if (flight.isDone()) {
      return result;
    }
    long leftNanos = settings.callerWait().toNanos() - flight.ageNanos();
    if (leftNanos <= 0) {
      return notYet(key, cached);
    }
    return result
        .ifNoItem()
        .after(Duration.ofNanos(leftNanos))
        .recoverWithUni(() -> notYet(key, cached));
  }

  private Uni<Profile> notYet(ProfileKey key, Profile cached) {
    counters.callerTimeouts.incrementAndGet();
    long now = clock.millis();
    Long exp = cached == null ? null : cached.credential().expiresAt();
    if (exp != null && exp > now) {
      return Uni.createFrom().item(cached); // docs/rules.md §2: still valid, served meanwhile
    }
    return Uni.createFrom()
        .failure(
            unavailable(
                key,
                now + settings.callerWait().toMillis(),
                "its refresh is waiting for the provider's answer"));
  }

  private static CompletableFuture<Void> settle(List<CompletableFuture<Profile>> started) {
    return CompletableFuture.allOf(
        started.stream().map(f -> f.handle((p, e) -> null)).toArray(CompletableFuture[]::new));
  }

  /** Runs on a worker thread; the result completes every waiter of the flight. */
  private Profile runFlight(ProfileKey key, RefreshMode mode, Secret saw) {
    long started = System.nanoTime();
    Outcome out =
        new FlightRunner(store, key, client, providers, lifetimes, counters, clock)
            .run(mode, saw, settings.leaseWait());
    if (out.answerLost()) {
      counters.answersLost.incrementAndGet();
    }
    observer.flightDone(
        key.agent(),
        key.profile(),
        mode.name().toLowerCase(java.util.Locale.ROOT),
        resultName(out),
        System.nanoTime() - started);
    if (out.persisted() != null) {
      onPersisted.accept(out.persisted());
    }
    out.events().forEach(events);
    return switch (out.result()) {
      case REFRESHED -> {
        backoff.reset(key);
        lifetimes.remember(key, out.lifetime());
        counters.refreshed.incrementAndGet();
        yield out.profile();
      }
      case STORED -> {
        counters.usedStored.incrementAndGet();
        yield out.profile();
      }
      case TRANSIENT, NOT_SENT, ANSWER_LOST, BUSY -> {
        if (out.result() == Outcome.Result.NOT_SENT) {
          counters.notSent.incrementAndGet();
        } else {
          counters.transientFailures.incrementAndGet();
        }
        long now = clock.millis();
        long until = backoff.failed(key, now);
        Long exp = out.profile() == null ? null : out.profile().credential().expiresAt();
        if (exp != null && exp > now) {
          yield out.profile();
        }
        throw unavailable(key, until, out.why());
      }
      case FAILED -> {
        if (out.failure().kind() == RefreshException.Kind.REAUTH_REQUIRED) {
          backoff.reset(key);
          counters.reauthRequired.incrementAndGet();
        } else {
          counters.otherFailures.incrementAndGet();
        }
        throw out.failure();
      }
    };
  }

  private static String resultName(Outcome out) {
    return switch (out.result()) {
      case REFRESHED -> "refreshed";
      case STORED -> "used_stored";
      case TRANSIENT -> "transient_failure";
      case NOT_SENT -> "not_sent";
      case ANSWER_LOST -> "answer_lost";
      case BUSY -> "busy";
      case FAILED ->
          out.answerLost()
              ? "answer_lost"
              : out.failure().kind() == RefreshException.Kind.REAUTH_REQUIRED
                  ? "reauth_required"
                  : "failed";
    };
  }

  private static RefreshException unavailable(ProfileKey key, long retryAt, String why) {
    Instant at = Instant.ofEpochMilli(retryAt);
    return new RefreshException(
        RefreshException.Kind.UNAVAILABLE,
        key.agent(),
        key.profile(),
        at,
        "profile "
            + key.profile()
            + " of agent "
            + key.agent()
            + " has no valid access token and cannot be"
            + " refreshed now ("
            + why
            + "); next attempt after "
            + at,
        null);
  }
}
