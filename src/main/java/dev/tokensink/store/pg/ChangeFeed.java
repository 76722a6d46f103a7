package dev.tokensink.store.pg;

import dev.tokensink.model.AgentId;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * {@code LISTEN tokensink_changes} on a connection of its own, on one daemon thread. Each
 * notification's payload is an agent id, handed to every listener within {@link #POLL_MS} of its
 * arrival. When the connection breaks (database restart, network) the thread reconnects by itself,
 * retrying every {@link #RETRY_MS}; notifications sent while it was away are lost, so after a
 * reconnect every agent is reported as changed (the cache re-reads rather than trusting stale
 * data). Listeners run on this thread and must be quick; an exception from one is logged and
 * ignored.
 */
final class ChangeFeed implements AutoCloseable {
  static final int POLL_MS = 250;
  static final int RETRY_MS = 500;
  private static final long HEARTBEAT_NS = TimeUnit.SECONDS.toNanos(5);
  private static final Logger LOG = Logger.getLogger(ChangeFeed.class);

  private final Connections connections;
  private final Supplier<List<AgentId>> allAgents;
  private final List<Consumer<AgentId>> listeners = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final CountDownLatch firstAttempt = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean connected;

  ChangeFeed(Connections connections, Supplier<List<AgentId>> allAgents) {
    this.connections = connections;
    this.allAgents = allAgents;
    this.thread = new Thread(this::run, "tokensink-pg-listen");
    this.thread.setDaemon(true);
  }

  /**
   * Starts the thread and waits (at most {@code wait}) for its first LISTEN, so that a change made
   * right after the store opened is not missed. If the database is down, returns after the first
   * failed attempt; the thread keeps retrying.
   */
  void start(java.time.Duration wait) {
    thread.start();
    try {
      firstAttempt.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void add(Consumer<AgentId> listener) {
    listeners.add(listener);
  }

  /** Whether the LISTEN connection is up. */
  boolean connected() {
    return connected;
  }

  private void run() {
    boolean everConnected = false;
    boolean outageLogged = false;
    while (closed.getCount() > 0) {
      try (Connection c = connections.open(true)) {
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + AgentWriter.CHANNEL);
        }
        connected = true;
        firstAttempt.countDown();
        if (everConnected) {
          LOG.info("PostgreSQL change feed reconnected; reporting every agent as changed");
          allAgents.get().forEach(this::fire);
        }
        everConnected = true;
        outageLogged = false;
        PGConnection pg = c.unwrap(PGConnection.class);
        long nextHeartbeat = System.nanoTime() + HEARTBEAT_NS;
        while (closed.getCount() > 0) {
          PGNotification[] batch = pg.getNotifications(POLL_MS);
          if (batch != null) {
            for (PGNotification n : batch) {
              fire(n.getParameter());
            }
          }
          // A half-open TCP connection (no RST after a network cut) would otherwise look idle
          // forever.
          if (System.nanoTime() - nextHeartbeat > 0) {
            if (!c.isValid(2)) {
              throw new SQLException("heartbeat failed", "08006");
            }
            nextHeartbeat = System.nanoTime() + HEARTBEAT_NS;
          }
        }
      } catch (SQLException | RuntimeException e) {
        connected = false;
        firstAttempt.countDown();
        if (!outageLogged && closed.getCount() > 0) {
          LOG.warnf(
              "PostgreSQL change feed lost (%s, SQLState %s); reconnecting every %d ms",
              e.getClass().getSimpleName(),
              e instanceof SQLException s ? s.getSQLState() : "-",
              RETRY_MS);
          outageLogged = true;
        }
        awaitClose(RETRY_MS);
      }
    }
    connected = false;
  }

  private void fire(String payload) {
    AgentId agent;
    try {
      agent = AgentId.of(payload);
    } catch (IllegalArgumentException e) {
      return; // not ours: another program on the same channel
    }
    fire(agent);
  }

  private void fire(AgentId agent) {
    for (Consumer<AgentId> l : listeners) {
      try {
        l.accept(agent);
      } catch (RuntimeException e) {
        LOG.warnf(e, "change listener failed for agent %s", agent);
      }
    }
  }

  private void awaitClose(long ms) {
    try {
      closed.await(ms, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed.countDown();
    }
  }

  @Override
  public void close() {
    closed.countDown();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
