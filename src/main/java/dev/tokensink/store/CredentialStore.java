package dev.tokensink.store;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.ProfileId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The only code that reads or writes credentials. Implementations: {@link FileStore} (embedded,
 * OpenClaw-compatible layout) and a PostgreSQL store for several replicas.
 *
 * <p>Concurrency contract: {@link #update} runs its work under the agent's exclusive lock (an OS
 * file lock, or a database row lock), across threads, processes and replicas. The work receives the
 * snapshot re-read under that lock, so a decision made on a cached snapshot must be re-checked
 * there. Work under the agent lock is short and never waits on the network: a refresh holds the
 * profile's {@link #refreshLease} across its token call instead (docs/rules.md §7).
 */
public interface CredentialStore extends AutoCloseable {

  /** Agents that exist in the store, sorted. */
  List<AgentId> agents();

  /**
   * Reads one agent. Empty if the agent does not exist. Never writes: a pending one-time legacy
   * import (docs/rules.md §1) is shown as it would be stored. Throws {@link StoreException} when a
   * file is damaged (its {@link StoreException#forCaller()} names the agent and the reason).
   */
  Optional<AgentSnapshot> read(AgentId agent);

  /** Runs a pending one-time legacy import of the agent now (a write); {@code serve} calls it. */
  default void importLegacy(AgentId agent) {}

  /** Creates an empty agent; no-op if it exists. */
  void createAgent(AgentId agent);

  /**
   * Read-modify-write under the agent's lock. {@code work} gets the current snapshot (empty for a
   * new agent) and returns the result; if it called {@link AgentTx#write}, the store persists the
   * last written snapshot atomically before returning.
   */
  <T> T update(AgentId agent, AgentWork<T> work);

  /**
   * Takes the refresh lease of one profile (see {@link RefreshLease}), waiting at most {@code wait}
   * for another holder; empty when it is still held then. This default serves the threads of one
   * JVM (a store that only this process uses); stores shared by processes or replicas override it.
   */
  default Optional<RefreshLease> refreshLease(AgentId agent, ProfileId profile, Duration wait) {
    return InProcessLeases.acquire(
        System.identityHashCode(this) + "/" + agent.value() + "/" + profile, wait);
  }

  /**
   * Registers a listener told (on a store-owned thread) the id of an agent whose stored data
   * changed, by this process or another one. Used by the in-memory cache.
   */
  void onChange(Consumer<AgentId> listener);

  /**
   * Whether the store may be written (false for a state dir that holds OpenClaw's SQLite files).
   */
  default Optional<String> writeRefusal() {
    return Optional.empty();
  }

  /** Whether the backend answers now (readiness); never throws. */
  default boolean healthy() {
    return true;
  }

  @Override
  default void close() {}

  /** Work done under the agent lock. */
  @FunctionalInterface
  interface AgentWork<T> {
    T run(AgentTx tx);
  }

  /** The view of one agent inside {@link #update}. */
  interface AgentTx {
    /** The snapshot as stored now (re-read under the lock), including earlier writes of this tx. */
    AgentSnapshot current();

    /** Replaces the agent's stored data when the update finishes. */
    void write(AgentSnapshot next);

    /** Persists immediately (e.g. the refresh-in-flight marker before a token call). */
    void flush();
  }
}
