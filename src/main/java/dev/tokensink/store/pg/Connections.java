package dev.tokensink.store.pg;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;

/**
 * A tiny connection source: plain pgjdbc connections, at most {@link #MAX_IDLE} kept idle for
 * reuse. The number open at once is the number of concurrent store operations (plus one per
 * in-flight {@code flush}); PostgreSQL's {@code max_connections} is the backstop. An idle
 * connection is checked with a round trip before reuse, so connections that died with a database
 * restart are dropped, not handed out. Every pooled connection has autocommit off and the session
 * timeouts of the config. Thread-safe.
 */
final class Connections implements AutoCloseable {
  static final int MAX_IDLE = 4;

  private final PgStoreConfig config;
  private final Deque<Connection> idle = new ArrayDeque<>();
  private boolean closed;

  Connections(PgStoreConfig config) {
    this.config = config;
  }

  /** A connection in autocommit-off mode; give it back with {@link #release}. */
  Connection borrow() throws SQLException {
    while (true) {
      Connection c;
      synchronized (this) {
        c = idle.pollFirst();
      }
      if (c == null) {
        return open(false);
      }
      if (c.isValid((int) Math.max(1, config.connectTimeout().toSeconds()))) {
        return c;
      }
      quietClose(c);
    }
  }

  /** Returns a connection; a broken one, or one beyond the idle cap, is closed. */
  void release(Connection c, boolean broken) {
    if (c == null) {
      return;
    }
    if (!broken) {
      synchronized (this) {
        if (!closed && idle.size() < MAX_IDLE) {
          idle.addFirst(c);
          return;
        }
      }
    }
    quietClose(c);
  }

  /** A fresh connection outside the pool (the listener's), with the given autocommit. */
  Connection open(boolean autoCommit) throws SQLException {
    Properties p = new Properties();
    if (config.user() != null) {
      p.setProperty("user", config.user());
    }
    if (config.password() != null) {
      p.setProperty("password", config.password());
    }
    long connectSeconds = Math.max(1, config.connectTimeout().toSeconds());
    p.setProperty("connectTimeout", Long.toString(connectSeconds));
    p.setProperty("loginTimeout", Long.toString(connectSeconds));
    p.setProperty("tcpKeepAlive", "true");
    // keeps row data (the DETAIL of constraint errors) out of exception messages
    p.setProperty("logServerErrorDetail", "false");
    p.setProperty("ApplicationName", "tokensink");
    Connection c = DriverManager.getConnection(config.url(), p);
    try (Statement s = c.createStatement()) {
      s.execute("SET lock_timeout = " + config.lockTimeout().toMillis());
      s.execute(
          "SET idle_in_transaction_session_timeout = "
              + config.idleInTransactionTimeout().toMillis());
    } catch (SQLException e) {
      quietClose(c);
      throw e;
    }
    c.setAutoCommit(autoCommit);
    return c;
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      idle.forEach(Connections::quietClose);
      idle.clear();
    }
  }

  static void quietClose(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing a broken connection: nothing to do
    }
  }
}
