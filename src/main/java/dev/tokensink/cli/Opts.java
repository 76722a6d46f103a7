package dev.tokensink.cli;

import dev.tokensink.config.Settings;
import dev.tokensink.model.AgentId;
import picocli.CommandLine.Option;

/** Options every command shares: {@code --state-dir} and {@code --agent}. */
final class Opts {
  private Opts() {}

  /** {@code --state-dir DIR} (else TOKENSINK_STATE_DIR, else ~/.tokensink). */
  static final class StateDir {
    @Option(
        names = "--state-dir",
        paramLabel = "DIR",
        description = "State dir (default: $TOKENSINK_STATE_DIR, else ~/.tokensink)")
    String value;
  }

  /** {@code --agent A}, default the configured default agent. */
  static final class Agent {
    @Option(
        names = "--agent",
        paramLabel = "A",
        description = "Agent id (default: the configured default agent)")
    String value;

    AgentId resolve(Settings settings) {
      return value == null ? settings.defaultAgent() : AgentId.of(value);
    }
  }
}
