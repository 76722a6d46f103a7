package dev.tokensink.store.pg;

import dev.tokensink.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One transaction on a pooled connection, and the translation of JDBC failures into store errors.
 */
final class Jdbc {
  private Jdbc() {}

  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in a transaction and commits; on any exception rolls back and rethrows
   * ({@link SQLException} as {@link StoreException}, runtime exceptions unchanged). A connection
   * that broke is closed instead of returned to the pool.
   */
  static <T> T inTx(Connections pool, String what, SqlWork<T> work) {
    Connection c = null;
    boolean broken = false;
    try {
      c = pool.borrow();
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException e) {
      broken = rollback(c) || isConnectionLoss(e);
      throw translate(what, e);
    } catch (RuntimeException | Error e) {
      broken = rollback(c);
      throw e;
    } finally {
      pool.release(c, broken);
    }
  }

  /** Rolls back; true when that failed (the connection is unusable). */
  private static boolean rollback(Connection c) {
    if (c == null) {
      return false;
    }
    try {
      c.rollback();
      return false;
    } catch (SQLException e) {
      return true;
    }
  }

  static boolean isConnectionLoss(SQLException e) {
    String state = e.getSQLState();
    return state == null
        || state.startsWith("08")
        || state.startsWith("57P")
        || "25P03".equals(state);
  }

  /**
   * Messages carry the SQLState and pgjdbc's message, which holds no row data because connections
   * are opened with {@code logServerErrorDetail=false}.
   */
  static StoreException translate(String what, SQLException e) {
    String state = e.getSQLState();
    if ("55P03".equals(state)) {
      return new StoreException.LockTimeout(
          what + ": the agent is locked by another writer (lock_timeout passed); retry later");
    }
    if ("25P03".equals(state)) {
      return new StoreException(
          what
              + ": PostgreSQL ended this transaction after idle_in_transaction_session_timeout "
              + "(this replica stalled while holding the agent lock); nothing of it was written, retry",
          e);
    }
    if (isConnectionLoss(e)) {
      return new StoreException(
          what + ": PostgreSQL is unreachable (SQLState " + state + ": " + e.getMessage() + ")", e);
    }
    return new StoreException(
        what + " failed in PostgreSQL (SQLState " + state + ": " + e.getMessage() + ")", e);
  }
}
