package dev.tokensink.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.AuthState;
import dev.tokensink.model.InvalidIdException;
import dev.tokensink.model.ProfileId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The embedded store in OpenClaw's JSON layout: {@code agents/<id>/agent/{auth-profiles.json,
 * auth-state.json,auth.json}} under the state dir. Plain Java (usable from a CLI {@code main}).
 *
 * <p>Concurrency: {@link #update} takes the agent's {@link AgentLock} (threads and processes),
 * re-reads the files under it, runs the work, and writes each changed file atomically ({@link
 * AtomicFiles}). {@link #read} takes no lock: atomic renames mean it sees either the old or the new
 * file. A file that does not parse is never overwritten: updates of that agent fail with {@link
 * StoreException.Corrupt}, other agents are unaffected. If the work throws, nothing it wrote is
 * persisted (except what it {@linkplain CredentialStore.AgentTx#flush() flushed}).
 *
 * <p>First use (docs/rules.md §1): when auth-profiles.json is missing, {@link #read} and {@link
 * #update} import the agent's flat legacy auth.json and, for the default agent only,
 * credentials/oauth.json, under the lock; the legacy auth.json is renamed to {@code
 * auth.json.imported-<epochms>} once the import is durable. tokensink's own sink file (see {@link
 * FileSink}) is never imported.
 */
public final class FileStore implements CredentialStore {
  static final String PROFILES_FILE = "auth-profiles.json";
  static final String STATE_FILE = "auth-state.json";
  static final String LEGACY_FILE = "auth.json";

  private final FileStoreSettings settings;
  private final Clock clock;
  private final AgentLock lock;
  private ChangeWatcher watcher; // guarded by this

  public FileStore(FileStoreSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.lock = new AgentLock(settings.lockTimeout());
  }

  /** Readiness: the state dir exists and can be read. */
  @Override
  public boolean healthy() {
    return java.nio.file.Files.isDirectory(settings.stateDir())
        && java.nio.file.Files.isReadable(settings.stateDir());
  }

  public Path stateDir() {
    return settings.stateDir();
  }

  /** {@code agents/<id>/agent}; the id is already validated by {@link AgentId}. */
  public Path agentDir(AgentId agent) {
    return settings.stateDir().resolve("agents").resolve(agent.value()).resolve("agent");
  }

  static String label(Path stateDir, Path file) {
    return file.toAbsolutePath().normalize().toString();
  }

  @Override
  public List<AgentId> agents() {
    List<AgentId> out = new ArrayList<>();
    Path agents = settings.stateDir().resolve("agents");
    if (!Files.isDirectory(agents)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(agents)) {
      for (Path p : ds) {
        try {
          AgentId id = AgentId.of(p.getFileName().toString());
          if (Files.isDirectory(p.resolve("agent"))) {
            out.add(id);
          }
        } catch (InvalidIdException notAnAgent) {
          // a stray directory name that can never be an agent id
        }
      }
    } catch (IOException e) {
      throw new StoreException("cannot list " + agents + ": " + e.getMessage());
    }
    out.sort(null);
    return out;
  }

  @Override
  public Optional<AgentSnapshot> read(AgentId agent) {
    Path dir = agentDir(agent);
    if (!Files.exists(dir.resolve(PROFILES_FILE)) && importPending(agent, dir)) {
      if (writeRefusal().isPresent()) {
        return io(
            () ->
                LegacyImport.run(agent, dir, settings, isDefault(agent))
                    .map(LegacyImport.Result::snapshot));
      }
      return Optional.of(update(agent, CredentialStore.AgentTx::current));
    }
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    return Optional.of(io(() -> load(agent, dir)).snapshot());
  }

  private boolean importPending(AgentId agent, Path dir) {
    return Files.exists(dir.resolve(LEGACY_FILE))
        || (isDefault(agent)
            && Files.exists(stateDir().resolve("credentials").resolve("oauth.json")));
  }

  private boolean isDefault(AgentId agent) {
    return agent.equals(settings.defaultAgent());
  }

  @Override
  public void createAgent(AgentId agent) {
    update(
        agent,
        tx -> {
          tx.write(tx.current()); // writes an empty auth-profiles.json only if there is none
          return null;
        });
  }

  @Override
  public <T> T update(AgentId agent, AgentWork<T> work) {
    return underLockResult(
        agent,
        dir -> {
          AtomicFiles.cleanupTemps(dir, PROFILES_FILE);
          AtomicFiles.cleanupTemps(dir, STATE_FILE);
          FileTx tx = new FileTx(this, dir, load(agent, dir), clock);
          if (tx.profilesMissing()) {
            LegacyImport.run(agent, dir, settings, isDefault(agent)).ifPresent(tx::imported);
          }
          T result = work.run(tx);
          tx.flush();
          return result;
        });
  }

  /** An OS lock per profile next to the agent lock ({@link ProfileLeases}). */
  @Override
  public Optional<RefreshLease> refreshLease(AgentId agent, ProfileId profile, Duration wait) {
    Optional<String> refused = writeRefusal();
    if (refused.isPresent()) {
      throw new StoreException.WriteRefused(refused.get());
    }
    return ProfileLeases.acquire(agentDir(agent), agent, profile, wait);
  }

  /** Runs {@code work} on the agent dir under the agent lock (created 0700 if missing). */
  void underLock(AgentId agent, IoWork<Void> work) {
    underLockResult(agent, work);
  }

  private <T> T underLockResult(AgentId agent, IoWork<T> work) {
    Path dir = agentDir(agent);
    Optional<String> refused = writeRefusal(dir);
    if (refused.isPresent()) {
      throw new StoreException.WriteRefused(refused.get());
    }
    return io(
        () -> {
          AtomicFiles.createDirs(dir);
          try (AgentLock.Held held = lock.acquire(agent, dir.resolve(PROFILES_FILE + ".lock"))) {
            return work.run(dir);
          }
        });
  }

  /**
   * The agent's files as stored now, parsed; their bytes are kept to skip writes that change
   * nothing.
   */
  record Disk(AgentSnapshot snapshot, byte[] profiles, byte[] state) {}

  Disk load(AgentId agent, Path dir) throws IOException {
    Path pf = dir.resolve(PROFILES_FILE);
    Path sf = dir.resolve(STATE_FILE);
    byte[] profiles = StateFiles.read(pf, settings).orElse(null);
    byte[] state = StateFiles.read(sf, settings).orElse(null);
    JsonNode p =
        profiles == null
            ? StoreJson.MAPPER.createObjectNode()
            : StoreJson.parse(profiles, label(stateDir(), pf));
    JsonNode s = state == null ? null : StoreJson.parse(state, label(stateDir(), sf));
    try {
      return new Disk(StoreJson.parseAgent(agent, p, s), profiles, state);
    } catch (StoreException.Corrupt c) {
      throw c.withFile(label(stateDir(), pf));
    }
  }

  static boolean emptyState(AgentSnapshot s) {
    return s.state().equals(AuthState.EMPTY);
  }

  @Override
  public synchronized void onChange(Consumer<AgentId> listener) {
    if (watcher == null) {
      watcher = new ChangeWatcher(this, settings.pollInterval());
    }
    watcher.add(listener);
  }

  @Override
  public Optional<String> writeRefusal() {
    return StateDirGuard.refusal(settings.stateDir());
  }

  /** How long a scan of every agent dir for an SQLite store counts as current for writes. */
  private static final long GUARD_RESCAN_NANOS = 1_000_000_000L;

  private volatile long guardScannedAt;
  private volatile boolean guardScanned;

  /**
   * {@link #writeRefusal()} for a write to one agent dir, without a scan of every agent dir per
   * write (with 1 000 agents, 1 000 file checks per write: at start-up, where every agent's
   * auth.json is written, and for each refresh). The state dir's and this agent's own SQLite store
   * are checked on every write; the other agents' dirs at most once a second (a cache, so its time
   * is {@link System#nanoTime}, not the injected clock). A store found once refuses every later
   * write again at once, since the refusal is never cached.
   */
  private Optional<String> writeRefusal(Path agentDir) {
    if (StateDirGuard.holdsOwnSqlite(settings.stateDir(), agentDir)) {
      return StateDirGuard.refusal(settings.stateDir());
    }
    long now = System.nanoTime();
    if (guardScanned && now - guardScannedAt < GUARD_RESCAN_NANOS) {
      return Optional.empty();
    }
    Optional<String> r = writeRefusal();
    if (r.isEmpty()) {
      guardScannedAt = now;
      guardScanned = true;
    }
    return r;
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      watcher.close();
      watcher = null;
    }
  }

  /** File work that may fail with an {@link IOException}. */
  @FunctionalInterface
  interface IoWork<T> {
    T run(Path agentDir) throws IOException;
  }

  @FunctionalInterface
  private interface IoCall<T> {
    T call() throws IOException;
  }

  private static <T> T io(IoCall<T> call) {
    try {
      return call.call();
    } catch (IOException e) {
      throw new StoreException("store I/O failed: " + e, e);
    } catch (UncheckedIOException e) {
      throw new StoreException("store I/O failed: " + e.getCause(), e);
    }
  }
}
