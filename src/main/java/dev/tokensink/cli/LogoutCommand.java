package dev.tokensink.cli;

import dev.tokensink.config.ProviderSettings;
import dev.tokensink.config.Settings;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.oauth.Providers;
import dev.tokensink.oauth.TokenClient;
import dev.tokensink.oauth.TokenEndpointException;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.StoreException;
import dev.tokensink.store.StoreJson;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code models auth logout PROFILE_ID [--revoke]}: removes the profile with its order entries and
 * usage state; {@code --revoke} first revokes the OAuth grant at the provider (RFC 7009).
 */
@Command(
    name = "logout",
    description = "Remove a profile (and with --revoke, revoke its OAuth grant first).")
final class LogoutCommand implements Callable<Integer> {
  @Mixin Opts.StateDir stateDir;
  @Mixin Opts.Agent agent;

  @Parameters(paramLabel = "PROFILE_ID")
  String profileId;

  @Option(
      names = "--revoke",
      description = "revoke the OAuth grant at the provider's revoke-url first")
  boolean revoke;

  private final Cli cli;

  LogoutCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    Settings settings = cli.settings(stateDir.value);
    AgentId a = agent.resolve(settings);
    ProfileId id = ProfileId.parse(profileId);
    CredentialStore store = cli.store(stateDir.value);
    AgentSnapshot s;
    try {
      s = read(store, a);
    } catch (StoreException.TooLarge e) {
      if (!(store instanceof FileStore fs)) {
        throw e;
      }
      // the file is over the size limit: read it once more to take the profile out (the
      // rewritten file must fit the limit, or nothing is written)
      store = fs.repairing();
      s = read(store, a);
    }
    Profile p = s.profile(id);
    if (p == null && StoreJson.invalidProfiles(s).containsKey(id.toString())) {
      store.update(
          a,
          tx -> {
            tx.write(StoreJson.withoutInvalid(tx.current(), id.toString()));
            return null;
          });
      cli.out().println("removed the invalid entry " + id + " from agent " + a);
      return 0;
    }
    if (p == null) {
      throw CliException.badInput(
          "profile "
              + id
              + " does not exist in agent "
              + a
              + "; profiles: "
              + s.profiles().keySet().stream().map(ProfileId::toString).toList());
    }
    if (revoke) {
      revokeGrant(settings, p);
    }
    store.update(
        a,
        tx -> {
          tx.write(tx.current().withoutProfile(id));
          return null;
        });
    cli.out()
        .println(
            "removed " + id + " from agent " + a + " (with its order entries and usage state)");
    return 0;
  }

  private static AgentSnapshot read(CredentialStore store, AgentId a) {
    return store
        .read(a)
        .orElseThrow(
            () ->
                CliException.badInput(
                    "unknown agent " + a + "; create it with `tokensink agents add " + a + "`"));
  }

  private void revokeGrant(Settings settings, Profile p) {
    if (!(p.credential() instanceof Credential.OAuth o)) {
      cli.out().println(p.id() + " is not an OAuth profile; nothing to revoke at the provider");
      return;
    }
    Optional<ProviderSettings> provider =
        Providers.configured(settings.providers()).find(p.provider().value());
    if (provider.isEmpty() || provider.get().revokeUrl() == null) {
      cli.out()
          .println(
              "provider "
                  + p.provider()
                  + " has no revoke-url configured; the grant stays valid at the "
                  + "provider (revoke it there), removing it here only");
      return;
    }
    try {
      TokenClient client = new TokenClient();
      if (o.refresh() != null) {
        client.revoke(provider.get(), o.refresh(), "refresh_token");
      } else {
        client.revoke(provider.get(), o.access(), "access_token");
      }
      cli.out().println("revoked the grant of " + p.id() + " at " + provider.get().revokeUrl());
    } catch (TokenEndpointException e) {
      throw CliException.failed(
          "revocation failed, profile kept: "
              + e.getMessage()
              + "; retry, or log out without --revoke");
    }
  }
}
