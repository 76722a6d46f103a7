package dev.tokensink.store;

import dev.tokensink.config.Settings;
import java.time.Clock;
import java.util.Map;

/** Opens the configured store backend: the file store (default) or PostgreSQL. */
public final class Stores {
  private Stores() {}

  public static CredentialStore open(Settings settings, Clock clock, Map<String, String> env) {
    if (settings.store().postgres()) {
      throw new StoreException("store backend 'postgres' is not available in this build yet");
    }
    return new FileStore(new FileStoreSettings(settings.stateDir(), settings.defaultAgent(),
        settings.lockTimeout(), settings.watchInterval()), clock);
  }
}
