package dev.tokensink.testing;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.store.CredentialStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A {@link CredentialStore} in memory for tests: one lock per agent held for the whole {@link
 * #update}, like the file store's OS lock. Counts persisted writes.
 */
public final class InMemoryStore implements CredentialStore {
  private final Map<AgentId, AgentSnapshot> agents = new ConcurrentHashMap<>();
  private final Map<AgentId, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final List<Consumer<AgentId>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicInteger writes = new AtomicInteger();

  @Override
  public List<AgentId> agents() {
    List<AgentId> ids = new ArrayList<>(agents.keySet());
    ids.sort(null);
    return ids;
  }

  @Override
  public Optional<AgentSnapshot> read(AgentId agent) {
    return Optional.ofNullable(agents.get(agent));
  }

  @Override
  public void createAgent(AgentId agent) {
    agents.putIfAbsent(agent, AgentSnapshot.empty(agent));
  }

  /** Replaces an agent's data directly (test setup). */
  public void put(AgentSnapshot snapshot) {
    agents.put(snapshot.agent(), snapshot);
  }

  /** How many updates persisted a snapshot. */
  public int writes() {
    return writes.get();
  }

  @Override
  public <T> T update(AgentId agent, AgentWork<T> work) {
    ReentrantLock lock = locks.computeIfAbsent(agent, a -> new ReentrantLock());
    lock.lock();
    try {
      Tx tx = new Tx(agents.getOrDefault(agent, AgentSnapshot.empty(agent)));
      T result = work.run(tx);
      if (tx.dirty) {
        tx.flush();
      }
      return result;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onChange(Consumer<AgentId> listener) {
    listeners.add(listener);
  }

  private final class Tx implements AgentTx {
    private AgentSnapshot current;
    private boolean dirty;

    Tx(AgentSnapshot current) {
      this.current = current;
    }

    @Override
    public AgentSnapshot current() {
      return current;
    }

    @Override
    public void write(AgentSnapshot next) {
      current = next;
      dirty = true;
    }

    @Override
    public void flush() {
      agents.put(current.agent(), current);
      writes.incrementAndGet();
      dirty = false;
      listeners.forEach(l -> l.accept(current.agent()));
    }
  }
}
