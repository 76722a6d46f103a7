package dev.tokensink.cli;

import dev.tokensink.config.Settings;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProviderId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code models auth order get|set|clear --provider ID [--agent A] [PROFILE...]}: the agent's own
 * order.
 */
@Command(name = "order", description = "The agent's own profile order for a provider.")
final class OrderCommand {
  @picocli.CommandLine.Mixin Opts.Global global;

  /** Options shared by the three subcommands. */
  static class Base {
    @Mixin Opts.StateDir stateDir;
    @Mixin Opts.Agent agent;

    @Option(names = "--provider", required = true, paramLabel = "ID")
    String provider;

    final Cli cli;

    Base(Cli cli) {
      this.cli = cli;
    }

    AgentId agentId() {
      Settings settings = cli.settings(stateDir.value);
      AgentId a = agent.resolve(settings);
      if (!cli.store(stateDir.value).agents().contains(a)) {
        throw CliException.badInput(
            "unknown agent " + a + "; create it with `tokensink agents add " + a + "`");
      }
      return a;
    }

    void print(AgentSnapshot s, ProviderId p) {
      List<ProfileId> order = s.order().get(p.value());
      List<String> configured = cli.settings(stateDir.value).auth().order().get(p.value());
      if (order != null) {
        cli.out()
            .println(
                p
                    + ": "
                    + String.join(" ", order.stream().map(ProfileId::toString).toList())
                    + "  (agent order)");
      } else if (configured != null) {
        cli.out().println(p + ": " + String.join(" ", configured) + "  (configured auth.order)");
      } else {
        cli.out()
            .println(
                p + ": (none; default order: oauth, token, api_key, least recently used first)");
      }
    }
  }

  @Command(name = "get", description = "Show the order.")
  static final class Get extends Base implements Runnable {
    Get(Cli cli) {
      super(cli);
    }

    @Override
    public void run() {
      ProviderId p = ProviderId.of(provider);
      AgentId a = agentId();
      print(cli.store(stateDir.value).read(a).orElseThrow(), p);
    }
  }

  @Command(
      name = "set",
      description = "Set the order (profiles must exist and be of that provider).")
  static final class Set extends Base implements Runnable {
    @Parameters(arity = "1..*", paramLabel = "PROFILE")
    List<String> profiles;

    Set(Cli cli) {
      super(cli);
    }

    @Override
    public void run() {
      ProviderId p = ProviderId.of(provider);
      List<ProfileId> parsed = profiles.stream().map(ProfileId::parse).toList();
      List<ProfileId> ids = new ArrayList<>(new LinkedHashSet<>(parsed));
      if (ids.size() != parsed.size()) {
        ProfileId twice =
            parsed.stream()
                .filter(x -> parsed.indexOf(x) != parsed.lastIndexOf(x))
                .findFirst()
                .orElseThrow();
        throw CliException.badInput(
            "profile " + twice + " is listed twice; name each profile once, in the order to use");
      }
      AgentId a = agentId();
      AgentSnapshot written =
          cli.store(stateDir.value)
              .update(
                  a,
                  tx -> {
                    AgentSnapshot cur = tx.current();
                    for (ProfileId id : ids) {
                      Profile prof = cur.profile(id);
                      if (prof == null && !id.name().equals("env")) {
                        throw CliException.badInput(
                            "profile "
                                + id
                                + " does not exist in agent "
                                + a
                                + "; profiles of "
                                + p
                                + ": "
                                + cur.profilesOf(p).stream().map(x -> x.id().toString()).toList());
                      }
                      ProviderId actual = prof == null ? id.provider() : prof.provider();
                      if (!actual.equals(p)) {
                        throw CliException.badInput(
                            "profile " + id + " is for provider " + actual + ", not " + p);
                      }
                    }
                    AgentSnapshot next = cur.withOrder(p.value(), ids);
                    tx.write(next);
                    return next;
                  });
      print(written, p);
    }
  }

  @Command(
      name = "clear",
      description = "Remove the agent's order (configured auth.order or the default applies).")
  static final class Clear extends Base implements Runnable {
    Clear(Cli cli) {
      super(cli);
    }

    @Override
    public void run() {
      ProviderId p = ProviderId.of(provider);
      AgentId a = agentId();
      AgentSnapshot written =
          cli.store(stateDir.value)
              .update(
                  a,
                  tx -> {
                    AgentSnapshot next = tx.current().withOrder(p.value(), null);
                    tx.write(next);
                    return next;
                  });
      print(written, p);
    }
  }
}
