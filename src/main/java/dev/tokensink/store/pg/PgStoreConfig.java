package dev.tokensink.store.pg;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the database, from {@code tokensink.store.postgres.*} and {@code
 * tokensink.encryption-key} (docs/api.md). The timeouts bound how long a replica can hold or wait
 * for an agent's lock:
 *
 * @param lockTimeout how long {@code update} waits for another replica's agent lock before {@link
 *     dev.tokensink.store.StoreException.LockTimeout} (PostgreSQL {@code lock_timeout})
 * @param idleInTransactionTimeout how long a transaction may sit idle (e.g. a replica stalled by a
 *     GC pause or SIGSTOP while holding an agent lock) before PostgreSQL ends the session and so
 *     releases the lock; the stalled replica's later writes then fail (see {@link PostgresStore})
 * @param connectTimeout connect and health-probe timeout
 */
public record PgStoreConfig(
    String url,
    String user,
    String password,
    String encryptionKey,
    Duration lockTimeout,
    Duration idleInTransactionTimeout,
    Duration connectTimeout) {

  public PgStoreConfig {
    Objects.requireNonNull(url, "tokensink.store.postgres.url");
    lockTimeout = lockTimeout == null ? Duration.ofSeconds(10) : lockTimeout;
    idleInTransactionTimeout =
        idleInTransactionTimeout == null ? Duration.ofSeconds(60) : idleInTransactionTimeout;
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(2) : connectTimeout;
  }

  /** Default timeouts (lock 10 s, idle in transaction 60 s, connect 2 s). */
  public static PgStoreConfig of(String url, String user, String password, String encryptionKey) {
    return new PgStoreConfig(url, user, password, encryptionKey, null, null, null);
  }

  public PgStoreConfig withTimeouts(Duration lock, Duration idleInTransaction) {
    return new PgStoreConfig(
        url, user, password, encryptionKey, lock, idleInTransaction, connectTimeout);
  }

  @Override
  public String toString() {
    // password and encryption key are secrets: never printed
    return "PgStoreConfig[" + url + ", user=" + user + "]";
  }
}
