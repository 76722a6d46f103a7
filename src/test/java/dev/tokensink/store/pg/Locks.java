package dev.tokensink.store.pg;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/** Observes lock waits in pg_stat_activity: a deterministic "the other writer is now blocked". */
final class Locks {
  private Locks() {}

  /** Returns once some session of the database waits on a lock; fails after the deadline. */
  static void awaitBlockedOnLock(String url, int seconds) throws SQLException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(seconds));
    while (Instant.now().isBefore(deadline)) {
      String n =
          PgRows.one(
              url,
              "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
      if (!"0".equals(n)) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("no session blocked on a lock within " + seconds + " s");
  }
}
