package dev.tokensink.store;

import dev.tokensink.config.Settings;
import dev.tokensink.model.AgentId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link FileStore}.
 *
 * @param stateDir the state dir (docs/rules.md §1)
 * @param defaultAgent the agent that alone imports {@code credentials/oauth.json} (default {@code
 *     main})
 * @param lockTimeout how long an update waits for the agent lock (default 10 s)
 * @param pollInterval how often change detection looks at the files (default 250 ms)
 * @param maxFileBytes a state file larger than this is refused, never read (default 4 MiB)
 * @param allowSymlinks whether a state file may be a symbolic link (default false: refused)
 */
public record FileStoreSettings(
    Path stateDir,
    AgentId defaultAgent,
    Duration lockTimeout,
    Duration pollInterval,
    long maxFileBytes,
    boolean allowSymlinks) {
  public FileStoreSettings {
    Objects.requireNonNull(stateDir, "stateDir");
    defaultAgent = defaultAgent == null ? AgentId.MAIN : defaultAgent;
    lockTimeout = lockTimeout == null ? Duration.ofSeconds(10) : lockTimeout;
    pollInterval = pollInterval == null ? Duration.ofMillis(250) : pollInterval;
    maxFileBytes = maxFileBytes <= 0 ? Settings.Store.DEFAULT_MAX_FILE_BYTES : maxFileBytes;
  }

  public FileStoreSettings(
      Path stateDir, AgentId defaultAgent, Duration lockTimeout, Duration pollInterval) {
    this(
        stateDir,
        defaultAgent,
        lockTimeout,
        pollInterval,
        Settings.Store.DEFAULT_MAX_FILE_BYTES,
        false);
  }

  public static FileStoreSettings of(Path stateDir) {
    return new FileStoreSettings(stateDir, null, null, null);
  }

  public FileStoreSettings withLockTimeout(Duration timeout) {
    return new FileStoreSettings(
        stateDir, defaultAgent, timeout, pollInterval, maxFileBytes, allowSymlinks);
  }

  public FileStoreSettings withPollInterval(Duration interval) {
    return new FileStoreSettings(
        stateDir, defaultAgent, lockTimeout, interval, maxFileBytes, allowSymlinks);
  }

  /** The same settings with other file limits. */
  public FileStoreSettings withFileLimits(long maxBytes, boolean symlinksAllowed) {
    return new FileStoreSettings(
        stateDir, defaultAgent, lockTimeout, pollInterval, maxBytes, symlinksAllowed);
  }
}
