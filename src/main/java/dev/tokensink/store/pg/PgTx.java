package dev.tokensink.store.pg;

import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.store.CredentialStore;
import java.util.Objects;

/**
 * The view of one agent inside {@link PostgresStore#update}: the snapshot read under the agent lock
 * plus this transaction's writes. Confined to the thread running the work.
 */
final class PgTx implements CredentialStore.AgentTx {

  /** Makes a snapshot durable while the update continues; returns the new committed baseline. */
  @FunctionalInterface
  interface Flusher {
    StoredAgent flush(StoredAgent durable, AgentSnapshot next);
  }

  private final Flusher flusher;
  private StoredAgent durable;
  private AgentSnapshot current;

  PgTx(StoredAgent durable, Flusher flusher) {
    this.durable = durable;
    this.current = durable.snapshot();
    this.flusher = flusher;
  }

  @Override
  public AgentSnapshot current() {
    return current;
  }

  @Override
  public void write(AgentSnapshot next) {
    Objects.requireNonNull(next, "snapshot");
    if (!next.agent().equals(current.agent())) {
      throw new IllegalArgumentException(
          "a transaction of agent " + current.agent() + " cannot write agent " + next.agent());
    }
    current = next;
  }

  @Override
  public void flush() {
    if (dirty()) {
      durable = flusher.flush(durable, current);
    }
  }

  /** Whether {@link #current()} differs from what is committed. */
  boolean dirty() {
    return !current.equals(durable.snapshot());
  }

  /** What is committed (the read, or the last flush). */
  StoredAgent durable() {
    return durable;
  }
}
