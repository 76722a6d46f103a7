package dev.tokensink.store;

import dev.tokensink.config.Settings;
import dev.tokensink.store.pg.PgStoreConfig;
import dev.tokensink.store.pg.PostgresStore;
import java.time.Clock;
import java.util.Map;

/** Opens the configured store backend: the file store (default) or PostgreSQL. */
public final class Stores {
  private Stores() {}

  public static CredentialStore open(Settings settings, Clock clock, Map<String, String> env) {
    Settings.Store st = settings.store();
    if (st.backend() == Settings.Store.Backend.POSTGRES) {
      Settings.Postgres pg = st.postgres();
      if (pg.url().isEmpty()) {
        throw new StoreException(
            "tokensink.store.backend is postgres but tokensink.store.postgres.url is not set");
      }
      return PostgresStore.open(
          PgStoreConfig.of(
                  pg.url().get(),
                  pg.username().orElse(null),
                  pg.password().orElse(null),
                  settings.encryptionKey().orElse(null))
              .withTimeouts(settings.lockTimeout(), pg.lease()));
    }
    return new FileStore(
        new FileStoreSettings(
                settings.stateDir(),
                settings.defaultAgent(),
                settings.lockTimeout(),
                st.watchInterval())
            .withFileLimits(st.maxFileSize().asLongValue(), st.allowSymlinks()),
        clock);
  }
}
