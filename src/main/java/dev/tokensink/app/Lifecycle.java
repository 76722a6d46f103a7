package dev.tokensink.app;

import dev.tokensink.broker.AuthJsonSink;
import dev.tokensink.broker.Broker;
import dev.tokensink.broker.RefResolver;
import dev.tokensink.broker.UsageRecorder;
import dev.tokensink.cache.AgentCache;
import dev.tokensink.config.Settings;
import dev.tokensink.events.EventHub;
import dev.tokensink.metrics.TimedStore;
import dev.tokensink.oauth.Providers;
import dev.tokensink.refresh.RefreshCoordinator;
import dev.tokensink.routing.Router;
import dev.tokensink.store.AtomicFiles;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.FileSink;
import dev.tokensink.store.FileStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import org.jboss.logging.Logger;

/** Start-up checks and the periodic jobs of the service. */
@Singleton
public class Lifecycle {
  private static final Logger LOG = Logger.getLogger(Lifecycle.class);

  private final CredentialStore store;
  private final AgentCache cache;
  private final RefResolver refs;
  private final UsageRecorder usage;
  private final Settings settings;
  private final RefreshCoordinator coordinator;
  private final EventHub hub;
  private final Clock clock;
  private final Providers providers;

  Lifecycle(
      CredentialStore store,
      AgentCache cache,
      RefResolver refs,
      UsageRecorder usage,
      Settings settings,
      RefreshCoordinator coordinator,
      EventHub hub,
      Clock clock,
      Providers providers) {
    this.clock = clock;
    this.providers = providers;
    this.coordinator = coordinator;
    this.hub = hub;
    this.store = store;
    this.cache = cache;
    this.refs = refs;
    this.usage = usage;
    this.settings = settings;
  }

  void start(@Observes StartupEvent ev) {
    store
        .writeRefusal()
        .ifPresent(
            reason -> {
              throw new IllegalStateException(reason);
            });
    if (TimedStore.unwrap(store) instanceof FileStore fs) {
      // a first start on a fresh machine: the state dir (e.g. ~/.tokensink) is created 0700, so the
      // store is ready and later CLI writes and watchers find it
      try {
        AtomicFiles.createDirs(settings.stateDir());
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot create the state dir " + settings.stateDir() + ": " + e.getMessage(), e);
      }
      // auth.json for consumers that read files: kept current from every cache update
      Router router = new Router(Broker.checks(refs), p -> providers.find(p.value()).isPresent());
      cache.onUpdate(
          new AuthJsonSink(new FileSink(fs, clock), router, refs, settings.auth().order(), clock)
              ::changed);
    }
    cache.preload();
    // a refresh-in-flight marker left by a crash: retry within the provider's grace, else re-login
    coordinator.recoverInterrupted(cache.snapshots());
    LOG.infof(
        "tokensink serving %d agent(s) from %s", cache.snapshots().size(), settings.stateDir());
  }

  void stop(@Observes ShutdownEvent ev) {
    usage.flush();
  }

  /**
   * Proactive refresh, EXPIRING/EXPIRED events, coalesced usage writes and secret-ref
   * re-resolution, all off the request path.
   */
  @Scheduled(
      every = "${tokensink.jobs.interval:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void everySecond() {
    var snapshots = cache.snapshots();
    coordinator.tick(snapshots);
    hub.tick(snapshots);
    usage.flush();
    refs.resolveAll(cache.snapshots());
  }
}
