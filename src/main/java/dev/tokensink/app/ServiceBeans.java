package dev.tokensink.app;

import dev.tokensink.broker.Broker;
import dev.tokensink.broker.OutcomeRecorder;
import dev.tokensink.broker.ProbeClaims;
import dev.tokensink.broker.RefResolver;
import dev.tokensink.broker.Refresher;
import dev.tokensink.broker.UsageRecorder;
import dev.tokensink.cache.AgentCache;
import dev.tokensink.config.Env;
import dev.tokensink.config.OpenClawJson;
import dev.tokensink.config.Settings;
import dev.tokensink.cooldown.CooldownConfig;
import dev.tokensink.cooldown.CooldownSettings;
import dev.tokensink.events.ChangeDetector;
import dev.tokensink.events.EventHub;
import dev.tokensink.metrics.CooldownMetrics;
import dev.tokensink.metrics.RefreshMetrics;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.Profile;
import dev.tokensink.oauth.Providers;
import dev.tokensink.oauth.TokenClient;
import dev.tokensink.refresh.RefreshCoordinator;
import dev.tokensink.refresh.RefreshObserver;
import dev.tokensink.refresh.RefreshSettings;
import dev.tokensink.routing.ConfiguredOrder;
import dev.tokensink.routing.Router;
import dev.tokensink.routing.SessionPins;
import dev.tokensink.status.RefreshHistory;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.EnvKeys;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** CDI wiring of the serving path: cache, routing, refresh, events, usage recording. */
@Singleton
public class ServiceBeans {
  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(ServiceBeans.class);

  @Produces
  @Singleton
  AgentCache cache(CredentialStore store, Settings settings) {
    return new AgentCache(store, settings.defaultAgent());
  }

  @Produces
  @Singleton
  RefResolver refs(Env env, Settings settings, AgentCache cache) {
    RefResolver refs = new RefResolver(env.vars(), settings.stateDir());
    cache.onUpdate((before, next) -> refs.resolveAll(next));
    return refs;
  }

  @Produces
  @Singleton
  EnvKeys envKeys(Env env, Settings settings) {
    return new EnvKeys(settings.stateDir(), env.vars());
  }

  @Produces
  @Singleton
  Providers providers(Settings settings) {
    return Providers.configured(settings.providers());
  }

  @Produces
  @Singleton
  SessionPins pins(Clock clock) {
    return new SessionPins(clock, 100_000, Duration.ofHours(12));
  }

  @Produces
  @Singleton
  UsageRecorder usage(CredentialStore store, AgentCache cache) {
    return new UsageRecorder(store, cache);
  }

  /** Delivers stream events; a slow subscriber only fills its own bounded mailbox. */
  @Produces
  @Singleton
  @Named("events")
  ExecutorService eventDelivery() {
    return Executors.newFixedThreadPool(
        4,
        r -> {
          Thread t = new Thread(r, "tokensink-events");
          t.setDaemon(true);
          return t;
        });
  }

  void closeEvents(@Disposes @Named("events") ExecutorService pool) {
    pool.shutdownNow();
  }

  @Produces
  @Singleton
  EventHub hub(Clock clock, @Named("events") ExecutorService delivery, AgentCache cache) {
    EventHub hub = new EventHub(clock, delivery, EventHub.DEFAULT_BUFFER);
    ChangeDetector detector = new ChangeDetector(hub, clock);
    cache.onUpdate(detector::changed);
    return hub;
  }

  @Produces
  @Singleton
  RefreshCoordinator coordinator(
      Settings settings,
      CredentialStore store,
      Providers providers,
      Clock clock,
      AgentCache cache,
      EventHub hub,
      RefreshMetrics metrics,
      RefreshHistory history) {
    // docs/rules.md §2: a sent refresh waits answer-timeout for its answer (the token client's
    // request timeout); callers wait at most caller-wait for it.
    Settings.Refresh r = settings.refresh();
    RefreshSettings refresh =
        new RefreshSettings(
            RefreshSettings.DEFAULTS.backoffInitial(),
            RefreshSettings.DEFAULTS.backoffMax(),
            r.maxInFlight().value(),
            r.maxPerSecond().value(),
            r.answerTimeout(),
            r.callerWait());
    return new RefreshCoordinator(
        store,
        new TokenClient(Duration.ofSeconds(5), refresh.answerTimeout()),
        providers,
        Infrastructure.getDefaultWorkerPool(),
        clock,
        refresh,
        cache::put,
        hub::publish,
        RefreshObserver.both(metrics, history));
  }

  /**
   * {@code tokensink.cooldown.*} (docs/configuration.md); a bad value stops start-up with the key
   * named ({@link Lifecycle} asks for this bean at start).
   */
  @Produces
  @Singleton
  CooldownSettings cooldownSettings(Settings settings) {
    return CooldownConfig.read(CooldownKeys.of(settings.cooldown()));
  }

  /**
   * {@code tokensink.auth.order} over the {@code auth.order} of {@code <stateDir>/openclaw.json}
   * when the state dir is an OpenClaw JSON dir (docs/rules.md §1, §3); that file is only read. One
   * that does not parse is named in a warning and ignored.
   */
  @Produces
  @Singleton
  ConfiguredOrder configuredOrder(Settings settings, Env env) {
    OpenClawJson.Order openclaw = OpenClawJson.authOrder(settings.stateDir(), env.vars());
    openclaw.warnings().forEach(w -> LOG.warn(w));
    if (!openclaw.order().isEmpty()) {
      LOG.infof(
          "auth.order of %s used for %s (tokensink.auth.order wins per provider)",
          settings.stateDir().resolve(OpenClawJson.FILE), openclaw.order().keySet());
    }
    return new ConfiguredOrder(OpenClawJson.merged(openclaw.order(), settings.auth().order()));
  }

  @Produces
  @Singleton
  ProbeClaims probes(
      CredentialStore store, AgentCache cache, Clock clock, CooldownSettings settings) {
    return new ProbeClaims(store, cache, clock, settings);
  }

  @Produces
  @Singleton
  OutcomeRecorder outcomes(
      CredentialStore store,
      AgentCache cache,
      UsageRecorder usage,
      Clock clock,
      RefreshCoordinator coordinator,
      CooldownMetrics cooldowns,
      CooldownSettings settings,
      EnvKeys envKeys) {
    return new OutcomeRecorder(
        store,
        cache,
        usage,
        clock,
        settings,
        (agent, p) -> coordinator.forceRefresh(agent, p.id(), p.credential().secret()),
        r -> r.transitions().forEach(cooldowns::transition),
        Infrastructure.getDefaultWorkerPool(),
        envKeys::profile);
  }

  @Produces
  @Singleton
  Broker broker(
      AgentCache cache,
      Settings settings,
      Clock clock,
      EnvKeys envKeys,
      RefResolver refs,
      SessionPins pins,
      RefreshCoordinator coordinator,
      UsageRecorder usage,
      ProbeClaims probes,
      ConfiguredOrder order,
      Providers providers) {
    Router router = new Router(Broker.checks(refs), p -> providers.find(p.value()).isPresent());
    Refresher refresher =
        new Refresher() {
          @Override
          public Uni<Profile> ensureFresh(AgentId agent, Profile cached) {
            return coordinator.ensureFresh(agent, cached);
          }

          @Override
          public boolean servableNow(AgentId agent, Profile cached) {
            return coordinator.servableNow(agent, cached);
          }
        };
    return new Broker(
        cache,
        settings,
        clock,
        envKeys::profile,
        refs,
        router,
        pins,
        refresher,
        usage,
        probes,
        order,
        Infrastructure.getDefaultWorkerPool());
  }
}
