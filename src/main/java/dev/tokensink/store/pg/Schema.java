package dev.tokensink.store.pg;

import dev.tokensink.store.StoreException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Brings the database schema up to date with the Flyway library (migrations in
 * {@code classpath:db/migration}). Safe when several replicas start at once: Flyway serialises
 * migrations with a PostgreSQL advisory lock. The history table is {@code tokensink_schema_history}
 * so that a database shared with another Flyway user does not clash.
 */
final class Schema {
  static final String HISTORY_TABLE = "tokensink_schema_history";

  private Schema() {}

  static void migrate(PgStoreConfig config) {
    try {
      Flyway.configure(Schema.class.getClassLoader())
          .dataSource(config.url(), config.user(), config.password())
          .locations("classpath:db/migration")
          .table(HISTORY_TABLE)
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .connectRetries(0)
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new StoreException("cannot migrate the PostgreSQL schema at " + config.url() + ": " + e.getMessage(), e);
    }
  }
}
