package dev.tokensink.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.config.Settings;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Profile;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code profiles list [--agent A] [--json]}: profile ids per provider (what {@code /model …@id}
 * accepts).
 */
@Command(name = "profiles", description = "Profile ids per provider.")
final class ProfilesCommand {
  @picocli.CommandLine.Mixin Opts.Global global;

  @Command(name = "list", description = "Profile ids per provider (what /model …@id accepts).")
  static final class ListProfiles implements Runnable {
    @Mixin Opts.StateDir stateDir;
    @Mixin Opts.Agent agent;

    @Option(names = "--json", description = "JSON output")
    boolean json;

    private final Cli cli;

    ListProfiles(Cli cli) {
      this.cli = cli;
    }

    @Override
    public void run() {
      Settings settings = cli.settings(stateDir.value);
      AgentId a = agent.resolve(settings);
      AgentSnapshot s =
          cli.store(stateDir.value)
              .read(a)
              .orElseThrow(
                  () ->
                      CliException.badInput(
                          "unknown agent "
                              + a
                              + "; create it with `tokensink agents add "
                              + a
                              + "`"));
      Map<String, TreeSet<String>> byProvider = new TreeMap<>();
      for (Profile p : s.profiles().values()) {
        byProvider
            .computeIfAbsent(p.provider().value(), k -> new TreeSet<>())
            .add(p.id().toString());
      }
      if (json) {
        ObjectNode root = dev.tokensink.store.StoreJson.MAPPER.createObjectNode();
        root.put("agent", a.value());
        ObjectNode providers = root.putObject("providers");
        byProvider.forEach((k, v) -> v.forEach(providers.putArray(k)::add));
        cli.out().println(root.toPrettyString());
      } else {
        byProvider.forEach((k, v) -> cli.out().println(k + ": " + String.join(", ", v)));
      }
    }
  }
}
