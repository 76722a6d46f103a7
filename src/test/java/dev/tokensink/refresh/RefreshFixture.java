package dev.tokensink.refresh;

import dev.tokensink.config.ProviderSettings;
import dev.tokensink.events.EventHub;
import dev.tokensink.events.LifecycleEvent;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import dev.tokensink.oauth.Providers;
import dev.tokensink.oauth.TokenClient;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import dev.tokensink.testing.MutableClock;
import dev.tokensink.testing.StrictOAuthServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A coordinator over a real {@link FileStore} on a temp dir and the real {@link TokenClient}
 * against a {@link StrictOAuthServer}, all on one {@link MutableClock}. One OAuth profile {@code
 * openai-codex:default}.
 */
final class RefreshFixture implements AutoCloseable {
  static final AgentId AGENT = AgentId.MAIN;
  static final ProfileId ID = ProfileId.parse("openai-codex:default");

  static {
    // SmallRye context propagation initializes lazily and races when the first Mutiny operators are
    // built on many threads at once outside Quarkus ("ContextManagerProvider already set").
    MutinyWarmup.run();
  }

  final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
  final StrictOAuthServer strict = StrictOAuthServer.start(clock);
  final FileStore store;
  final ExecutorService workers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "refresh-worker");
            t.setDaemon(true);
            return t;
          });
  final EventHub hub = new EventHub(clock, workers, EventHub.DEFAULT_BUFFER);
  final List<LifecycleEvent> published = new CopyOnWriteArrayList<>();
  final AtomicReference<AgentSnapshot> cache = new AtomicReference<>();
  final RefreshCoordinator coordinator;

  RefreshFixture(Path stateDir) {
    this(stateDir, Duration.ZERO);
  }

  RefreshFixture(Path stateDir, Duration grace) {
    this(stateDir, grace, RefreshSettings.DEFAULTS, false);
  }

  /**
   * @param settings answer timeout (the token client's request timeout) and caller wait
   * @param introspection whether the provider has the strict server's introspection endpoint
   */
  RefreshFixture(Path stateDir, Duration grace, RefreshSettings settings, boolean introspection) {
    store = new FileStore(FileStoreSettings.of(stateDir), clock);
    Providers providers =
        providers(
            strict.tokenUri().toString(),
            grace,
            introspection ? strict.introspectUri().toString() : null);
    coordinator =
        new RefreshCoordinator(
            store,
            new TokenClient(Duration.ofSeconds(2), settings.answerTimeout()),
            providers,
            workers,
            clock,
            settings,
            cache::set,
            e -> {
              synchronized (published) {
                published.add(e);
                published.notifyAll();
              }
              hub.publish(e);
            });
  }

  static Providers providers(StrictOAuthServer strict, Duration grace) {
    ProviderSettings s =
        strict.provider("openai-codex", "http://127.0.0.1:1455/auth/callback", false);
    return providers(s.tokenUrl(), grace);
  }

  static Providers providers(String tokenUrl, Duration grace) {
    return providers(tokenUrl, grace, null);
  }

  static Providers providers(String tokenUrl, Duration grace, String introspectionUrl) {
    return new Providers(
        Map.of(
            "openai-codex",
            new ProviderSettings(
                "openai-codex",
                null,
                tokenUrl,
                StrictOAuthServer.CLIENT_ID,
                null,
                List.of(),
                null,
                Map.of(),
                "form",
                null,
                null,
                grace,
                introspectionUrl)));
  }

  /** Stores a fresh grant from the strict server as the profile (a login), clearing marks. */
  Profile login() {
    return login(ID);
  }

  /** As {@link #login()}, for another profile of the same provider (a grant of its own). */
  Profile login(ProfileId id) {
    StrictOAuthServer.TokenPair pair = strict.seedGrant();
    Profile p =
        Profile.of(
            id,
            new Credential.OAuth(
                Secret.of(pair.access()),
                Secret.of(pair.refresh()),
                clock.millis() + Duration.ofHours(1).toMillis(),
                "acct-1",
                StrictOAuthServer.CLIENT_ID));
    store.update(
        AGENT,
        tx -> {
          AgentSnapshot s = tx.current().withProfile(p);
          tx.write(s.withState(s.state().withReauth(id, null).withRefreshInFlight(id, null)));
          return null;
        });
    return p;
  }

  /** Waits (on the flight's publication, no polling) for the first event of this type. */
  LifecycleEvent awaitEvent(LifecycleEvent.Type type, Duration timeout)
      throws InterruptedException {
    return awaitEvent(type, ID, timeout);
  }

  /** As {@link #awaitEvent(LifecycleEvent.Type, Duration)}, for one profile. */
  LifecycleEvent awaitEvent(LifecycleEvent.Type type, ProfileId profile, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (published) {
      while (true) {
        for (LifecycleEvent e : published) {
          if (e.type() == type && e.profileId().equals(profile)) {
            return e;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no " + type + " event within " + timeout + ": " + published);
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(published, left);
      }
    }
  }

  AgentSnapshot stored() {
    return store.read(AGENT).orElseThrow();
  }

  Profile storedProfile() {
    return stored().profile(ID);
  }

  static Credential.OAuth oauth(Profile p) {
    return (Credential.OAuth) p.credential();
  }

  @Override
  public void close() {
    strict.close();
    store.close();
    workers.shutdownNow();
  }
}
