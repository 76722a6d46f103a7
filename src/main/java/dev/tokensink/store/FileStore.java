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
  private static final java.nio.file.LinkOption NOFOLLOW = java.nio.file.LinkOption.NOFOLLOW_LINKS;

  /** How much {@link #repairing()} reads of an over-limit file (writes keep the limit). */
  static final long REPAIR_READ_BYTES = 256L << 20;

  private final FileStoreSettings settings;
  private final FileStoreSettings readLimits;
  private final Clock clock;
  private final AgentLock lock;
  private ChangeWatcher watcher; // guarded by this

  public FileStore(FileStoreSettings settings, Clock clock) {
    this(settings, settings, clock);
  }

  private FileStore(FileStoreSettings settings, FileStoreSettings readLimits, Clock clock) {
    this.settings = settings;
    this.readLimits = readLimits;
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

  FileStoreSettings settings() {
    return settings;
  }

  /**
   * The same store reading files up to {@link #REPAIR_READ_BYTES}, so that a file over {@code
   * tokensink.store.max-file-size} can be repaired (e.g. the oversized profile logged out); what it
   * writes must still fit the limit. For the CLI's repair commands only.
   */
  public FileStore repairing() {
    return new FileStore(
        settings,
        settings.withFileLimits(
            Math.max(REPAIR_READ_BYTES, settings.maxFileBytes()), settings.allowSymlinks()),
        clock);
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

  /**
   * Never writes: when the one-time legacy import is pending, the imported profiles are shown as
   * they would be stored, and the import itself happens on the first write (or {@link
   * #importLegacy}, which {@code serve} runs).
   */
  @Override
  public Optional<AgentSnapshot> read(AgentId agent) {
    return scoped(
        agent,
        () -> {
          checkLinks(agent);
          Path dir = agentDir(agent);
          boolean profilesMissing = !Files.exists(dir.resolve(PROFILES_FILE), NOFOLLOW);
          if (profilesMissing && importPending(agent, dir)) {
            Disk disk = io(() -> load(agent, dir));
            Optional<AgentSnapshot> imported =
                io(
                    () ->
                        LegacyImport.run(agent, dir, settings, isDefault(agent))
                            .map(r -> r.snapshot().withState(disk.snapshot().state())));
            if (imported.isPresent()) {
              return imported;
            }
          }
          if (!Files.isDirectory(dir)) {
            return Optional.empty();
          }
          return Optional.of(io(() -> load(agent, dir)).snapshot());
        });
  }

  /**
   * Runs the one-time legacy import of docs/rules.md §1 now if it is pending (writes the new
   * auth-profiles.json and renames the flat file aside); {@code serve} calls it for every agent.
   */
  @Override
  public void importLegacy(AgentId agent) {
    Path dir = agentDir(agent);
    if (writeRefusal().isEmpty()
        && !Files.exists(dir.resolve(PROFILES_FILE), NOFOLLOW)
        && importPending(agent, dir)) {
      update(agent, CredentialStore.AgentTx::current);
    }
  }

  /**
   * Refuses an agent whose {@code agents} dir, {@code agents/<id>} or {@code agents/<id>/agent} is
   * a symbolic link (unless allowed): its files would be read and written through the link.
   */
  private void checkLinks(AgentId agent) {
    if (settings.allowSymlinks()) {
      return;
    }
    Path agents = settings.stateDir().resolve("agents");
    for (Path p : List.of(agents, agents.resolve(agent.value()), agentDir(agent))) {
      if (Files.isSymbolicLink(p)) {
        throw new StoreException(
            p.toAbsolutePath().normalize()
                + " is a symbolic link; tokensink neither reads nor writes agent files through"
                + " links: replace it with a real directory (mode 0700), or set"
                + " tokensink.store.allow-symlinks=true");
      }
    }
  }

  /**
   * Runs store work for one agent; a {@link StoreException} leaving it says, for remote callers,
   * which agent cannot be served and why, with paths relative to the state dir.
   */
  private <T> T scoped(AgentId agent, java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (StoreException e) {
      if (!(e instanceof StoreException.LockTimeout)) {
        String prefix = settings.stateDir().toAbsolutePath().normalize() + java.io.File.separator;
        e.withCallerMessage(
            "agent " + agent + " cannot be served: " + e.getMessage().replace(prefix, ""));
      }
      throw e;
    }
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
    return scoped(agent, () -> updateNow(agent, work));
  }

  private <T> T updateNow(AgentId agent, AgentWork<T> work) {
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
    checkLinks(agent);
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
    byte[] profiles = StateFiles.read(pf, readLimits).orElse(null);
    byte[] state = StateFiles.read(sf, readLimits).orElse(null);
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
