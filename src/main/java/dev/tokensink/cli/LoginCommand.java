package dev.tokensink.cli;

import dev.tokensink.config.Durations;
import dev.tokensink.config.Settings;
import dev.tokensink.oauth.LoginException;
import dev.tokensink.oauth.LoginFlow;
import dev.tokensink.oauth.LoginOptions;
import dev.tokensink.oauth.LoginResult;
import dev.tokensink.oauth.Providers;
import dev.tokensink.oauth.TokenClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code models auth login}: OAuth (PKCE) with a loopback callback, or the pasted redirect URL /
 * code with {@code --no-browser} or when the callback port cannot bind.
 */
@Command(
    name = "login",
    description = "Sign in to an OAuth provider (PKCE; loopback callback or paste).")
final class LoginCommand implements Callable<Integer> {
  @Mixin Opts.StateDir stateDir;
  @Mixin Opts.Agent agent;

  @Option(names = "--provider", required = true, paramLabel = "ID")
  String provider;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description = "profile name (default: the account's email, else default)")
  String profile;

  @Option(
      names = "--no-browser",
      description = "print the URL and read the pasted redirect URL or code from stdin")
  boolean noBrowser;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "how long to wait for the sign-in (default 5m)")
  String timeout;

  private final Cli cli;

  LoginCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    Settings settings = cli.settings(stateDir.value);
    String agentId = agent.resolve(settings).value();
    if (!agentId.equals(settings.defaultAgent().value())
        && !cli.store(stateDir.value).agents().contains(agent.resolve(settings))) {
      // as paste-token / add-key: a mistyped --agent must not create an agent holding a fresh grant
      throw CliException.badInput(
          "unknown agent " + agentId + "; create it first: tokensink agents add " + agentId);
    }
    LoginOptions options = LoginOptions.defaults().withStdinIsTerminal(cli.interactive());
    if (timeout != null) {
      options = options.withTimeout(Durations.parse(timeout));
    }
    LoginFlow flow =
        new LoginFlow(
            Providers.configured(settings.providers()),
            new TokenClient(Duration.ofSeconds(10), Duration.ofSeconds(30)),
            cli.store(stateDir.value),
            cli.clock(),
            options);
    try {
      LoginResult r = flow.login(provider, agentId, profile, noBrowser, cli.in(), cli.out());
      cli.out()
          .println(
              (r.updatedInPlace() ? "Updated " : "Signed in: stored ")
                  + r.profileId()
                  + " in agent "
                  + agentId
                  + (r.email() == null ? "" : " (" + r.email() + ")")
                  + (r.accountId() == null ? "" : ", account " + r.accountId())
                  + "; access "
                  + r.maskedAccess()
                  + " expires "
                  + r.expiresAt());
      if (!r.hasRefreshToken()) {
        cli.out()
            .println(
                "Note: the provider issued no refresh token; log in again when the access token expires.");
      }
      return 0;
    } catch (LoginException e) {
      cli.err().println("tokensink: " + e.getMessage());
      return e.exitCode();
    }
  }
}
