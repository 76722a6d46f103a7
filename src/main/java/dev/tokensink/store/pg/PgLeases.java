package dev.tokensink.store.pg;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProfileId;
import dev.tokensink.store.RefreshLease;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL store's refresh leases: a session-level advisory lock per (agent, profile) on a
 * connection of its own, held for the whole refresh, token call included, and outside any
 * transaction, so it holds no row lock and blocks no other writer of the agent.
 *
 * <p>Liveness: a replica that dies closes its session and PostgreSQL drops the lock at once. A
 * replica that stalls (GC pause, SIGSTOP) keeps its socket open, so the session is given {@code
 * idle_session_timeout} = the lease and the holder sends a heartbeat every third of it: a stalled
 * holder's session ends after the lease, its lock with it, and the next replica finds the
 * refresh-in-flight marker with its lease free, which it treats as a lost answer (docs/rules.md
 * §2), never as a reason to replay. Thread-safe.
 */
final class PgLeases implements AutoCloseable {
  private static final long MAX_BACKOFF_MS = 100;

  private final Connections connections;
  private final Duration lease;
  private final ScheduledExecutorService heartbeats =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "tokensink-pg-lease");
            t.setDaemon(true);
            return t;
          });

  PgLeases(Connections connections, Duration lease) {
    this.connections = connections;
    this.lease = lease;
  }

  Optional<RefreshLease> acquire(AgentId agent, ProfileId profile, Duration wait) {
    long key = key(agent, profile);
    long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
    Connection c = null;
    try {
      c = connections.open(true);
      try (Statement s = c.createStatement()) {
        s.execute("SET idle_session_timeout = " + lease.toMillis());
      }
      long backoff = 5;
      while (!tryLock(c, key)) {
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (leftMs <= 0) {
          Connections.quietClose(c);
          return Optional.empty();
        }
        Thread.sleep(Math.min(backoff, leftMs));
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
      return Optional.of(new Held(c, key));
    } catch (SQLException e) {
      Connections.quietClose(c);
      throw Jdbc.translate("take the refresh lease of " + profile + " of agent " + agent, e);
    } catch (InterruptedException e) {
      Connections.quietClose(c);
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static boolean tryLock(Connection c, long key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      ps.setLong(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /** 64 bits of SHA-256 over a namespace, the agent and the profile: the same in every replica. */
  static long key(AgentId agent, ProfileId profile) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  ("tokensink-refresh\0" + agent.value() + "\0" + profile)
                      .getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(d).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
  }

  private final class Held implements RefreshLease {
    private final Connection c;
    private final long key;
    private final ScheduledFuture<?> beat;
    private boolean closed;

    Held(Connection c, long key) {
      this.c = c;
      this.key = key;
      long every = Math.max(100, lease.toMillis() / 3);
      this.beat =
          heartbeats.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    private synchronized void beat() {
      if (closed) {
        return;
      }
      try (Statement s = c.createStatement()) {
        s.execute("SELECT 1");
      } catch (SQLException e) {
        // the session is gone (database restart, or it outlived its lease): so is the lock; the
        // refresh's own writes are checked under the agent lock
      }
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      beat.cancel(false);
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
        ps.setLong(1, key);
        ps.executeQuery().close();
      } catch (SQLException ignored) {
        // closing the session below releases it anyway
      } finally {
        Connections.quietClose(c);
      }
    }
  }
}
