package dev.tokensink.app;

import dev.tokensink.config.Env;
import dev.tokensink.config.Settings;
import dev.tokensink.metrics.TimedStore;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.Stores;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Wires the plain domain classes into CDI for the service. Tests replace the Clock with an
 * alternative. {@link Settings} is Quarkus' own mapping of the {@code tokensink.*} keys.
 */
@Singleton
public class Producers {

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  Env env() {
    return Env.system();
  }

  @Produces
  @Singleton
  CredentialStore store(Settings settings, Clock clock, Env env, MeterRegistry registry) {
    // timed for tokensink_store_write_duration_seconds (metrics package)
    return new TimedStore(
        Stores.open(settings, clock, env.vars()),
        settings.store().backend() == Settings.Store.Backend.POSTGRES ? "postgres" : "file",
        registry);
  }

  void close(@Disposes CredentialStore store) {
    store.close();
  }
}
