package dev.tokensink.store;

import dev.tokensink.model.AgentId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link FileStore}.
 *
 * @param stateDir the state dir (rules.md §1)
 * @param defaultAgent the agent that alone imports {@code credentials/oauth.json} (default {@code main})
 * @param lockTimeout how long an update waits for the agent lock (default 10 s)
 * @param pollInterval how often change detection looks at the files (default 250 ms)
 */
public record FileStoreSettings(Path stateDir, AgentId defaultAgent, Duration lockTimeout, Duration pollInterval) {
  public FileStoreSettings {
    Objects.requireNonNull(stateDir, "stateDir");
    defaultAgent = defaultAgent == null ? AgentId.MAIN : defaultAgent;
    lockTimeout = lockTimeout == null ? Duration.ofSeconds(10) : lockTimeout;
    pollInterval = pollInterval == null ? Duration.ofMillis(250) : pollInterval;
  }

  public static FileStoreSettings of(Path stateDir) {
    return new FileStoreSettings(stateDir, null, null, null);
  }

  public FileStoreSettings withLockTimeout(Duration timeout) {
    return new FileStoreSettings(stateDir, defaultAgent, timeout, pollInterval);
  }

  public FileStoreSettings withPollInterval(Duration interval) {
    return new FileStoreSettings(stateDir, defaultAgent, lockTimeout, interval);
  }
}
