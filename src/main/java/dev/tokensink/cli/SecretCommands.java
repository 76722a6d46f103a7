package dev.tokensink.cli;

import dev.tokensink.config.Durations;
import dev.tokensink.config.Settings;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProviderId;
import dev.tokensink.model.Secret;
import java.io.Console;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Commands that store a pasted secret read from stdin (never from argv). */
final class SecretCommands {
  private SecretCommands() {}

  @Command(
      name = "paste-token",
      description = "Store a pasted token (read from stdin) as a `token` profile.")
  static final class PasteToken implements Runnable {
    @Mixin Opts.StateDir stateDir;
    @Mixin Opts.Agent agent;

    @Option(names = "--provider", required = true, paramLabel = "ID")
    String provider;

    @Option(
        names = "--profile",
        paramLabel = "NAME",
        description = "profile name (default: manual)")
    String profile;

    @Option(names = "--expires-in", paramLabel = "DURATION", description = "e.g. 365d, 12h, 30m")
    String expiresIn;

    private final Cli cli;

    PasteToken(Cli cli) {
      this.cli = cli;
    }

    @Override
    public void run() {
      ProfileId id = ProfileId.of(ProviderId.of(provider), profile == null ? "manual" : profile);
      Long expires = null;
      if (expiresIn != null) {
        Duration d = Durations.parse(expiresIn);
        if (d.isNegative() || d.isZero()) {
          throw CliException.badInput("--expires-in must be positive, e.g. 365d, 12h, 30m");
        }
        expires = cli.clock().millis() + d.toMillis();
      }
      Secret token = PastedSecret.token(readSecret(cli, "Paste the token: "), "token");
      store(cli, stateDir.value, agent, Profile.of(id, new Credential.Token(token, null, expires)));
    }
  }

  @Command(
      name = "setup-token",
      description = "Store an Anthropic setup token (from `claude setup-token`, read from stdin).")
  static final class SetupToken implements Runnable {
    @Mixin Opts.StateDir stateDir;
    @Mixin Opts.Agent agent;

    @Option(names = "--provider", defaultValue = "anthropic", paramLabel = "ID")
    String provider;

    @Option(
        names = "--profile",
        paramLabel = "NAME",
        description = "profile name (default: manual)")
    String profile;

    private final Cli cli;

    SetupToken(Cli cli) {
      this.cli = cli;
    }

    @Override
    public void run() {
      if (!"anthropic".equals(provider)) {
        throw CliException.badInput(
            "setup-token is for --provider anthropic; for other providers use paste-token");
      }
      ProfileId id = ProfileId.of(ProviderId.of(provider), profile == null ? "manual" : profile);
      Secret token = PastedSecret.setupToken(readSecret(cli, "Paste the setup token: "));
      store(cli, stateDir.value, agent, Profile.of(id, new Credential.Token(token, null, null)));
    }
  }

  @Command(
      name = "add-key",
      description = "Store an API key (read from stdin) as an `api_key` profile.")
  static final class AddKey implements Runnable {
    @Mixin Opts.StateDir stateDir;
    @Mixin Opts.Agent agent;

    @Option(names = "--provider", required = true, paramLabel = "ID")
    String provider;

    @Option(
        names = "--profile",
        paramLabel = "NAME",
        description = "profile name (default: default)")
    String profile;

    private final Cli cli;

    AddKey(Cli cli) {
      this.cli = cli;
    }

    @Override
    public void run() {
      ProfileId id = ProfileId.of(ProviderId.of(provider), profile == null ? "default" : profile);
      Secret key = PastedSecret.token(readSecret(cli, "Paste the API key: "), "API key");
      store(cli, stateDir.value, agent, Profile.of(id, new Credential.ApiKey(key, null, Map.of())));
    }
  }

  /** Reads one secret line: hidden at a terminal, else the first line of stdin. */
  static String readSecret(Cli cli, String prompt) {
    Console console = System.console();
    if (cli.interactive() && console != null) {
      char[] chars = console.readPassword(prompt);
      return chars == null ? "" : new String(chars);
    }
    try {
      String line = cli.in().readLine();
      return line == null ? "" : line;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read standard input", e);
    }
  }

  /**
   * Stores a profile under the agent lock; a new secret clears the profile's reauth/disabled state.
   */
  static void store(Cli cli, String stateDirFlag, Opts.Agent agentOpt, Profile profile) {
    Settings settings = cli.settings(stateDirFlag);
    AgentId agent = agentOpt.resolve(settings);
    var store = cli.store(stateDirFlag);
    if (!agent.equals(settings.defaultAgent()) && !store.agents().contains(agent)) {
      throw CliException.badInput(
          "unknown agent " + agent + "; create it first: tokensink agents add " + agent);
    }
    boolean replaced =
        store.update(
            agent,
            tx -> {
              var cur = tx.current();
              boolean existed = cur.profile(profile.id()) != null;
              var state = cur.state().withReauth(profile.id(), null).withUsage(profile.id(), null);
              tx.write(cur.withProfile(profile).withState(state));
              return existed;
            });
    Credential c = profile.credential();
    String secret = c.secret() == null ? "(ref)" : c.secret().masked();
    Long exp = c.expiresAt();
    cli.out()
        .println(
            (replaced ? "updated " : "stored ")
                + profile.id()
                + " ("
                + profile.type().json()
                + " "
                + secret
                + (exp == null ? ", no expiry" : ", expires " + Instant.ofEpochMilli(exp))
                + ") in agent "
                + agent);
  }
}
