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
    if (settings.store().postgres()) {
      Settings.Store st = settings.store();
      if (st.postgresUrl() == null) {
        throw new StoreException(
            "tokensink.store.backend is postgres but tokensink.store.postgres.url is not set");
      }
      return PostgresStore.open(
          PgStoreConfig.of(
                  st.postgresUrl(), st.postgresUser(), st.postgresPassword(), st.encryptionKey())
              .withTimeouts(settings.lockTimeout(), st.postgresLease()));
    }
    return new FileStore(
        new FileStoreSettings(
                settings.stateDir(),
                settings.defaultAgent(),
                settings.lockTimeout(),
                settings.watchInterval())
            .withFileLimits(settings.store().maxFileBytes(), settings.store().allowSymlinks()),
        clock);
  }
}
