package dev.tokensink.store.pg;

import dev.tokensink.store.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Brings the database schema up to date with the Flyway library (migrations in {@code
 * classpath:db/migration}). Safe when several replicas start at once: Flyway serialises migrations
 * with a PostgreSQL advisory lock. The history table is {@code tokensink_schema_history} so that a
 * database shared with another Flyway user does not clash.
 */
final class Schema {
  static final String HISTORY_TABLE = "tokensink_schema_history";

  /** The newest migration in {@code db/migration}; a test keeps this in step with the files. */
  static final String LATEST = "1";

  private Schema() {}

  /**
   * Migrates when needed. Starting Flyway costs 1–3 s in a cold JVM (too slow for a CLI command),
   * so a database already at {@link #LATEST} is recognised with one query and Flyway is not
   * started.
   */
  static void migrate(PgStoreConfig config, Connections connections) {
    if (upToDate(connections)) {
      return;
    }
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
      throw new StoreException(
          "cannot migrate the PostgreSQL schema at " + config.url() + ": " + e.getMessage(), e);
    }
  }

  private static boolean upToDate(Connections connections) {
    try {
      return Jdbc.inTx(
          connections,
          "check schema version",
          c -> {
            try (Statement s = c.createStatement();
                ResultSet rs =
                    s.executeQuery("SELECT to_regclass('" + HISTORY_TABLE + "') IS NOT NULL")) {
              if (!rs.next() || !rs.getBoolean(1)) {
                return false;
              }
            }
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT count(*) FROM " + HISTORY_TABLE + " WHERE success AND version = ?")) {
              ps.setString(1, LATEST);
              try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
              }
            }
          });
    } catch (StoreException e) {
      return false; // let Flyway report the real problem
    }
  }
}
