package dev.tokensink.app;

import dev.tokensink.broker.Broker;
import dev.tokensink.broker.RefResolver;
import dev.tokensink.broker.Refresher;
import dev.tokensink.broker.UsageRecorder;
import dev.tokensink.cache.AgentCache;
import dev.tokensink.config.Env;
import dev.tokensink.config.Settings;
import dev.tokensink.routing.Freshness;
import dev.tokensink.routing.Router;
import dev.tokensink.routing.SessionPins;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.EnvKeys;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;

/** CDI wiring of the serving path: cache, routing, refresh, usage recording. */
@Singleton
public class ServiceBeans {

  @Produces
  @Singleton
  AgentCache cache(CredentialStore store) {
    return new AgentCache(store);
  }

  @Produces
  @Singleton
  RefResolver refs(Env env, Settings settings, AgentCache cache) {
    RefResolver refs = new RefResolver(env.vars(), settings.stateDir());
    cache.onUpdate(refs::resolveAll);
    return refs;
  }

  @Produces
  @Singleton
  EnvKeys envKeys(Env env, Settings settings) {
    return new EnvKeys(settings.stateDir(), env.vars());
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

  @Produces
  @Singleton
  Refresher refresher(Clock clock) {
    // Until the refresh coordinator is wired: serve an OAuth token only while it stays valid for the
    // serving margin; otherwise say so.
    return (agent, p) -> {
      long exp = p.credential().expiresAt();
      if (Freshness.servable(exp, Freshness.DEFAULT_LIFETIME, clock.millis())) {
        return Uni.createFrom().item(p);
      }
      return Uni.createFrom().failure(new dev.tokensink.broker.BrokerException(
          dev.tokensink.broker.BrokerException.Code.UNAVAILABLE, "the access token of " + p.id() + " expired"));
    };
  }

  @Produces
  @Singleton
  Broker broker(AgentCache cache, Settings settings, Clock clock, EnvKeys envKeys, RefResolver refs,
      SessionPins pins, Refresher refresher, UsageRecorder usage) {
    Router router = new Router(Broker.checks(refs), p -> false);
    return new Broker(cache, settings, clock, envKeys::profile, refs, router, pins, refresher, usage,
        Infrastructure.getDefaultWorkerPool());
  }
}
