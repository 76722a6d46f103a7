package dev.tokensink.app;

import dev.tokensink.broker.AuthJsonSink;
import dev.tokensink.broker.Broker;
import dev.tokensink.broker.RefResolver;
import dev.tokensink.broker.UsageRecorder;
import dev.tokensink.cache.AgentCache;
import dev.tokensink.config.Settings;
import dev.tokensink.cooldown.CooldownSettings;
import dev.tokensink.events.EventHub;
import dev.tokensink.metrics.TimedStore;
import dev.tokensink.oauth.Providers;
import dev.tokensink.refresh.RefreshCoordinator;
import dev.tokensink.routing.ConfiguredOrder;
import dev.tokensink.routing.Router;
import dev.tokensink.store.AtomicFiles;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.EnvKeys;
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
  private final ConfiguredOrder order;
  private final EnvKeys envKeys;

  Lifecycle(
      CredentialStore store,
      AgentCache cache,
      RefResolver refs,
      UsageRecorder usage,
      Settings settings,
      RefreshCoordinator coordinator,
      EventHub hub,
      Clock clock,
      Providers providers,
      CooldownSettings cooldowns,
      ConfiguredOrder order,
      EnvKeys envKeys) {
    this.order = order;
    this.envKeys = envKeys;
    // asked for here so that a bad tokensink.cooldown.* value stops start-up, naming the key
    LOG.debugf("cooldown settings: %s", cooldowns);
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
          new AuthJsonSink(new FileSink(fs, clock), router, refs, order.byProvider(), clock)
              ::changed);
    }
    cache.preload();
    if (cache.listError() != null) {
      LOG.warnf("cannot list the agents: %s", cache.listError().getMessage());
    }
    // one line per damaged agent, no stack trace: every other agent is served
    cache
        .unreadable()
        .forEach(
            (agent, e) ->
                LOG.warnf(
                    "agent %s is not served until its files are repaired: %s",
                    agent, e.getMessage()));
    envKeys.problems().forEach(p -> LOG.warnf("environment keys: %s", p));
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
