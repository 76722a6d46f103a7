package dev.tokensink.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tokensink.model.AgentId;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.StoreJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agents add ID} / {@code agents list [--json]}: isolated agent identities. */
@Command(name = "agents", description = "Isolated agents (main, work, ...).")
final class AgentsCommand {
  @picocli.CommandLine.Mixin Opts.Global global;

  @Command(name = "add", description = "Create an agent.")
  static final class Add implements Runnable {
    @Mixin Opts.StateDir stateDir;

    @Parameters(paramLabel = "ID", description = "agent id: [a-z0-9][a-z0-9_-]{0,63}")
    String id;

    private final Cli cli;

    Add(Cli cli) {
      this.cli = cli;
    }

    @Override
    public void run() {
      AgentId agent = AgentId.of(id);
      CredentialStore store = cli.store(stateDir.value);
      boolean existed = store.agents().contains(agent);
      store.createAgent(agent);
      cli.out().println(existed ? "agent " + agent + " already exists" : "created agent " + agent);
    }
  }

  @Command(name = "list", description = "List agents.")
  static final class ListAgents implements Runnable {
    @Mixin Opts.StateDir stateDir;

    @Option(names = "--json", description = "JSON output")
    boolean json;

    private final Cli cli;

    ListAgents(Cli cli) {
      this.cli = cli;
    }

    @Override
    public void run() {
      var agents = cli.store(stateDir.value).agents();
      if (json) {
        ArrayNode arr = StoreJson.MAPPER.createArrayNode();
        agents.forEach(a -> arr.add(a.value()));
        cli.out().println(arr.toPrettyString());
      } else {
        agents.forEach(a -> cli.out().println(a.value()));
      }
    }
  }
}
