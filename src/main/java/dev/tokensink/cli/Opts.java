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

    private final Cli cli;

    Agent(Cli cli) {
      this.cli = cli;
    }

    /** The agent named here, else before the subcommand, else the configured default. */
    AgentId resolve(Settings settings) {
      String named = value != null ? value : cli.globalAgent();
      return named == null ? settings.defaultAgent() : AgentId.of(named);
    }
  }

  /**
   * {@code --state-dir} and {@code --agent} given before a subcommand ({@code tokensink --state-dir
   * D agents add x}); the same option after the subcommand wins.
   */
  static final class Global {
    private final Cli cli;

    Global(Cli cli) {
      this.cli = cli;
    }

    @Option(
        names = "--state-dir",
        paramLabel = "DIR",
        description =
            "State dir for the subcommand (default: $TOKENSINK_STATE_DIR, else ~/.tokensink)")
    void stateDir(String value) {
      cli.globalStateDir(value);
    }

    @Option(
        names = "--agent",
        paramLabel = "A",
        description = "Agent for the subcommand (default: the configured default agent)")
    void agent(String value) {
      cli.globalAgent(value);
    }
  }
}
