package dev.tokensink.store.pg;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.ProfileId;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.RefreshLease;
import dev.tokensink.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The PostgreSQL {@link CredentialStore} for several replicas. Plain JDBC, no CDI: the service and
 * the CLI both open it with {@link #open}.
 *
 * <p><b>Locking.</b> {@link #update} runs in one transaction on one connection that first takes the
 * agent's row lock ({@code SELECT … FROM ts_agents … FOR NO KEY UPDATE}, waiting at most {@code
 * lockTimeout}), then re-reads every row of the agent, runs the work, writes only the rows that
 * changed and commits. Every writer of an agent takes that lock first, so updates of one agent are
 * serialised across threads, processes and replicas; readers never block.
 *
 * <p><b>flush() without letting go of the lock.</b> {@link AgentTx#flush} writes the pending
 * snapshot on a <em>second</em> connection in a short transaction of its own and commits it, while
 * the first connection keeps the agent lock. Releasing and re-taking the lock instead would let
 * another replica in between, see the "refresh in flight" marker of a refresh that is still running
 * and take it for a crash. The second transaction needs no agent lock (its owner holds it); it does
 * not block on it because the lock is {@code NO KEY UPDATE}, which admits the foreign-key checks of
 * child rows, and the first transaction holds no child row locks (it writes only at the end). If
 * the work then fails, the flushed marker stays committed: by design, since the token may be spent.
 *
 * <p><b>Fencing.</b> Every row carries a version; every write is a compare-and-set on the version
 * read under the lock ({@link AgentWriter}). A replica that stalls (GC pause, SIGSTOP) longer than
 * {@code idleInTransactionTimeout} loses its session, so PostgreSQL releases its lock and rolls
 * back its transaction; when it wakes, its final commit fails on the dead connection, and a flush
 * on a fresh connection fails the compare-and-set if another replica wrote meanwhile ({@link
 * StaleWriteException}). A stalled replica therefore never overwrites a newer credential.
 *
 * <p><b>Changes.</b> Every write notifies {@code tokensink_changes} with the agent id in the same
 * transaction (delivered at commit); {@link ChangeFeed} tells the {@link #onChange} listeners.
 */
public final class PostgresStore implements CredentialStore {
  private static final Logger LOG = Logger.getLogger(PostgresStore.class);

  private final PgStoreConfig config;
  private final Connections connections;
  private final AgentReader reader;
  private final AgentWriter writer;
  private final ChangeFeed feed;
  private final PgLeases leases;

  private PostgresStore(PgStoreConfig config, KeyRing ring) {
    this.config = config;
    this.connections = new Connections(config);
    this.reader = new AgentReader(ring);
    this.writer = new AgentWriter(ring);
    this.feed = new ChangeFeed(connections, this::agents);
    this.leases = new PgLeases(connections, config.idleInTransactionTimeout());
  }

  /**
   * Migrates the schema, checks the key and starts the change listener. Logs a WARN when no
   * encryption key is configured (secrets stored in plaintext).
   *
   * @throws IllegalArgumentException for a malformed encryption key (the message names no key
   *     material)
   * @throws StoreException when the database is unreachable or cannot be migrated
   */
  public static PostgresStore open(PgStoreConfig config) {
    KeyRing ring = KeyRing.parse(config.encryptionKey());
    if (!ring.encrypts()) {
      LOG.warnf(
          "tokensink.encryption-key is not set: credentials are stored in PostgreSQL (%s) in PLAINTEXT. "
              + "Set it to a base64 AES key (e.g. `openssl rand -base64 32`) to encrypt them.",
          config.url());
    }
    PostgresStore store = new PostgresStore(config, ring);
    try {
      Schema.migrate(config, store.connections);
    } catch (RuntimeException e) {
      store.connections.close();
      throw e;
    }
    store.feed.start(config.connectTimeout().plusSeconds(1));
    return store;
  }

  @Override
  public List<AgentId> agents() {
    return Jdbc.inTx(
        connections,
        "list agents",
        c -> {
          List<AgentId> out = new ArrayList<>();
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT agent FROM ts_agents ORDER BY agent")) {
            while (rs.next()) {
              out.add(AgentId.of(rs.getString(1)));
            }
          }
          return out;
        });
  }

  @Override
  public Optional<AgentSnapshot> read(AgentId agent) {
    return Jdbc.inTx(
        connections,
        "read agent " + agent,
        c -> {
          // one consistent snapshot across the agent's tables
          try (Statement s = c.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
          }
          return reader.load(c, agent).map(StoredAgent::snapshot);
        });
  }

  @Override
  public void createAgent(AgentId agent) {
    Jdbc.inTx(connections, "create agent " + agent, c -> insertAgent(c, agent));
  }

  private boolean insertAgent(Connection c, AgentId agent) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO ts_agents (agent) VALUES (?) ON CONFLICT DO NOTHING")) {
      ps.setString(1, agent.value());
      if (ps.executeUpdate() == 0) {
        return false;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT pg_notify('" + AgentWriter.CHANNEL + "', ?)")) {
      ps.setString(1, agent.value());
      ps.executeQuery().close();
    }
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * <p>An update of an agent that does not exist creates it first (committed on its own), even if
   * the work writes nothing. Waits at most {@code lockTimeout} for the agent lock, else {@link
   * StoreException.LockTimeout}. The work's own exceptions propagate unchanged after rollback.
   */
  @Override
  public <T> T update(AgentId agent, AgentWork<T> work) {
    return Jdbc.inTx(
        connections,
        "update agent " + agent,
        c -> {
          if (!lock(c, agent)) {
            insertAgent(c, agent);
            c.commit(); // the agent row must be visible to a flush's second connection
            if (!lock(c, agent)) {
              throw new StoreException("agent " + agent + " vanished while being created");
            }
          }
          StoredAgent base = reader.load(c, agent).orElseThrow();
          PgTx tx = new PgTx(base, this::flushAside);
          T result = work.run(tx);
          if (tx.dirty()) {
            writer.persist(c, tx.durable(), tx.current());
          }
          return result;
        });
  }

  private static boolean lock(Connection c, AgentId agent) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM ts_agents WHERE agent = ? FOR NO KEY UPDATE")) {
      ps.setString(1, agent.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * {@link AgentTx#flush}: commit on a second connection while the caller keeps the lock (see class
   * doc).
   */
  private StoredAgent flushAside(StoredAgent durable, AgentSnapshot next) {
    return Jdbc.inTx(
        connections, "flush agent " + next.agent(), side -> writer.persist(side, durable, next));
  }

  /**
   * A session-level advisory lock of the profile on a connection of its own ({@link PgLeases}),
   * ended by PostgreSQL {@code lease} after its holder stalls or at once when it dies.
   */
  @Override
  public Optional<RefreshLease> refreshLease(AgentId agent, ProfileId profile, Duration wait) {
    return leases.acquire(agent, profile, wait);
  }

  @Override
  public void onChange(Consumer<AgentId> listener) {
    feed.add(listener);
  }

  /** Readiness: a round trip to the database within the connect timeout. Never throws. */
  @Override
  public boolean healthy() {
    try {
      return Jdbc.inTx(
          connections,
          "health probe",
          c -> {
            try (Statement s = c.createStatement()) {
              s.setQueryTimeout((int) Math.max(1, config.connectTimeout().toSeconds()));
              s.executeQuery("SELECT 1").close();
            }
            return true;
          });
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Whether the change listener's connection is up (a replica without it serves stale caches). */
  public boolean listening() {
    return feed.connected();
  }

  /** Stops the change listener and closes idle connections. */
  @Override
  public void close() {
    leases.close();
    feed.close();
    connections.close();
  }

  @Override
  public String toString() {
    return "PostgresStore[" + config.url() + "]";
  }
}
