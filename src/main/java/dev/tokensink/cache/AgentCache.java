package dev.tokensink.cache;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.StoreException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * In-memory snapshots of every agent's stored data, so that serving a valid credential does no I/O.
 *
 * <p>Concurrency: entries are immutable and replaced whole in a {@link ConcurrentHashMap}; readers
 * never lock. {@link #load} does file or database I/O and must run on a worker thread. The store's
 * change listener reloads an agent when another process (or the CLI) changed it; writers in this
 * process call {@link #put} with the snapshot they just persisted, so their change is visible at
 * once. A reload that loses a race against a newer {@link #put} may briefly show the older
 * snapshot; the store re-reads under its lock before every write, so nothing is decided on it
 * irrevocably.
 */
public final class AgentCache {
  /** One agent's cached state: a snapshot, or the reason it cannot be read (corrupt file). */
  public record Entry(AgentSnapshot snapshot, StoreException error) {
    public AgentSnapshot require() {
      if (error != null) {
        throw error;
      }
      return snapshot;
    }
  }

  private static final Entry MISSING = new Entry(null, null);

  private final CredentialStore store;
  private final AgentId defaultAgent;
  private volatile StoreException listError;
  private volatile boolean unstored; // the default agent has no files (served from env keys)
  private final Map<AgentId, Entry> entries = new ConcurrentHashMap<>();
  private final List<BiConsumer<AgentSnapshot, AgentSnapshot>> listeners =
      new CopyOnWriteArrayList<>();

  public AgentCache(CredentialStore store) {
    this(store, null);
  }

  /**
   * @param defaultAgent the agent that exists even with nothing stored (env keys serve it), or null
   */
  public AgentCache(CredentialStore store, AgentId defaultAgent) {
    this.store = store;
    this.defaultAgent = defaultAgent;
    store.onChange(this::reload);
  }

  /**
   * Loads every agent (start-up), running pending one-time legacy imports. An agent whose files are
   * damaged is kept as an error entry (its requests report it); the others load regardless.
   */
  public void preload() {
    java.util.Set<AgentId> all = new java.util.TreeSet<>();
    try {
      all.addAll(store.agents());
    } catch (StoreException e) {
      listError = e; // e.g. the agents dir cannot be listed: the default agent still serves
    }
    if (defaultAgent != null) {
      all.add(defaultAgent);
    }
    for (AgentId a : all) {
      try {
        store.importLegacy(a);
      } catch (StoreException e) {
        // reported by the read below, or as the entry's error
      }
      reload(a);
    }
  }

  /** Why the agents could not be listed at start-up, or null. */
  public StoreException listError() {
    return listError;
  }

  /** Agents whose files cannot be read now, with the reason (for readiness and status). */
  public Map<AgentId, StoreException> unreadable() {
    Map<AgentId, StoreException> out = new java.util.TreeMap<>();
    entries.forEach(
        (a, e) -> {
          if (e.error() != null) {
            out.put(a, e.error());
          }
        });
    return out;
  }

  /** The cached entry, or null when this agent was never loaded (no I/O). */
  public Entry peek(AgentId agent) {
    Entry e = entries.get(agent);
    return e == MISSING ? null : e;
  }

  /** Whether the agent is known to be absent (cached miss). */
  public boolean knownMissing(AgentId agent) {
    return entries.get(agent) == MISSING;
  }

  /**
   * Reads the agent from the store (blocking I/O) and caches the result. Empty if it does not
   * exist.
   */
  public Optional<AgentSnapshot> load(AgentId agent) {
    try {
      Optional<AgentSnapshot> s = store.read(agent);
      if (s.isEmpty() && agent.equals(defaultAgent)) {
        s = Optional.of(AgentSnapshot.empty(agent)); // exists without `agents add`: env keys
        unstored = true;
      } else if (agent.equals(defaultAgent)) {
        unstored = false;
      }
      if (s.isPresent()) {
        put(s.get());
      } else {
        entries.put(agent, MISSING);
      }
      return s;
    } catch (StoreException e) {
      entries.put(agent, new Entry(null, e));
      throw e;
    } catch (RuntimeException e) {
      // a bug must not take the other agents down; the type only, never a message (may quote data)
      StoreException wrapped =
          new StoreException(
              "agent " + agent + " cannot be read (" + e.getClass().getSimpleName() + ")");
      entries.put(agent, new Entry(null, wrapped));
      throw wrapped;
    }
  }

  /** Installs a snapshot this process just persisted. */
  public void put(AgentSnapshot snapshot) {
    Entry previous = entries.put(snapshot.agent(), new Entry(snapshot, null));
    AgentSnapshot before = previous == null ? null : previous.snapshot();
    for (BiConsumer<AgentSnapshot, AgentSnapshot> l : listeners) {
      l.accept(before, snapshot);
    }
  }

  /**
   * Cached agents that loaded fine. The default agent while nothing is stored for it and nothing
   * happened to it (an env-only deployment's empty snapshot) is left out: there is nothing to show
   * or refresh; it is still served ({@link #peek}).
   */
  public List<AgentSnapshot> snapshots() {
    return entries.values().stream()
        .filter(e -> e.snapshot() != null)
        .map(Entry::snapshot)
        .filter(
            s ->
                !(s.agent().equals(defaultAgent)
                    && s.profiles().isEmpty()
                    && s.state().equals(dev.tokensink.model.AuthState.EMPTY)))
        .toList();
  }

  /** Agents whose stored data cannot be read, with the reason (never a secret). No I/O. */
  public Map<AgentId, String> errors() {
    Map<AgentId, String> out = new java.util.TreeMap<>();
    entries.forEach(
        (a, e) -> {
          if (e.error() != null) {
            out.put(a, e.error().getMessage());
          }
        });
    return out;
  }

  /**
   * Called with (previous or null, next) for every snapshot that enters the cache (events, refs),
   * on the thread that installed it (a worker or the store's watcher; never an event loop).
   */
  public void onUpdate(BiConsumer<AgentSnapshot, AgentSnapshot> listener) {
    listeners.add(listener);
  }

  private void reload(AgentId agent) {
    try {
      load(agent);
    } catch (StoreException e) {
      // kept as the entry's error; requests for this agent report it, others are unaffected
    }
  }
}
