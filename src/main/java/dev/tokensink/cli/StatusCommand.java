package dev.tokensink.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.config.Settings;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProviderId;
import dev.tokensink.model.Secret;
import dev.tokensink.routing.ProfileStatus;
import dev.tokensink.routing.StatusCheck;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.EnvKeys;
import dev.tokensink.store.SecretRefs;
import dev.tokensink.store.StoreJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code models status}: one line per profile with type, masked secret, expiry and state
 * (docs/rules.md §5). {@code --check} exits 0 all usable, 1 expired/missing/re-auth, 2 expiring
 * soon.
 */
@Command(name = "status", description = "Profiles with type, masked secret, expiry and state.")
final class StatusCommand implements Callable<Integer> {
  @Mixin Opts.StateDir stateDir;

  @Option(
      names = "--agent",
      paramLabel = "A",
      description = "only this agent (default: every agent)")
  String agent;

  @Option(names = "--json", description = "JSON output")
  boolean json;

  @Option(
      names = "--check",
      description = "exit 0 all usable, 1 expired or missing, 2 expiring soon")
  boolean check;

  private final Cli cli;

  StatusCommand(Cli cli) {
    this.cli = cli;
  }

  /** One profile's row. */
  record Row(AgentId agent, Profile profile, ProfileStatus status) {}

  @Override
  public Integer call() {
    Settings settings = cli.settings(stateDir.value);
    CredentialStore store = cli.store(stateDir.value);
    List<AgentId> agents = agent == null ? store.agents() : List.of(AgentId.of(agent));
    long now = cli.clock().millis();
    EnvKeys envKeys = new EnvKeys(settings.stateDir(), cli.env());
    List<Row> rows = new ArrayList<>();
    List<String> missingProviders = new ArrayList<>();
    for (AgentId a : agents) {
      AgentSnapshot s =
          store
              .read(a)
              .orElseThrow(
                  () ->
                      CliException.badInput(
                          "unknown agent "
                              + a
                              + "; existing agents: "
                              + store.agents()
                              + "; create it with `tokensink agents add "
                              + a
                              + "`"));
      for (Profile p : s.profiles().values()) {
        String unresolved = unresolvedRef(p, settings);
        ProfileStatus st = ProfileStatus.of(p, s.state(), now, unresolved == null);
        if (unresolved != null) {
          st =
              new ProfileStatus(
                  st.id(), st.kind(), st.expiresAtMs(), st.blockedUntilMs(), unresolved);
        }
        rows.add(new Row(a, p, st));
      }
      for (String provider : new TreeSet<>(settings.providers().keySet())) {
        ProviderId pid = ProviderId.of(provider);
        if (s.profilesOf(pid).isEmpty() && envKeys.profile(pid).isEmpty()) {
          missingProviders.add(a + "/" + provider);
        }
      }
    }
    List<ProviderId> missing =
        missingProviders.stream().map(m -> ProviderId.of(m.substring(m.indexOf('/') + 1))).toList();
    int code = StatusCheck.exitCode(rows.stream().map(Row::status).toList(), missing);
    if (json) {
      printJson(rows, missingProviders, code);
    } else {
      printText(rows, missingProviders);
    }
    return check ? code : 0;
  }

  /** Null when the profile's secret is stored or its ref resolves, else why it does not. */
  private String unresolvedRef(Profile p, Settings settings) {
    Credential c = p.credential();
    if (c.secret() != null) {
      return null;
    }
    var ref = c instanceof Credential.ApiKey k ? k.keyRef() : ((Credential.Token) c).tokenRef();
    var r = SecretRefs.resolve(ref, cli.env(), settings.stateDir());
    return r.resolved() ? null : "secret ref " + ref + " unresolved: " + r.unresolvedReason();
  }

  private void printText(List<Row> rows, List<String> missingProviders) {
    if (rows.isEmpty() && missingProviders.isEmpty()) {
      cli.out()
          .println(
              "no profiles; add one with `tokensink models auth add-key --provider ID` or `login`");
    }
    for (Row r : rows) {
      ProfileStatus st = r.status();
      cli.out()
          .printf(
              "%-10s %-40s %-8s %-12s %-26s %s%s%n",
              r.agent(),
              r.profile().id(),
              r.profile().type().json(),
              masked(r.profile()),
              expiry(st.expiresAtMs()),
              st.kind().json(),
              (st.blockedUntilMs() != null
                      ? " until " + Instant.ofEpochMilli(st.blockedUntilMs())
                      : "")
                  + (st.detail() != null ? " (" + st.detail() + ")" : ""));
    }
    for (String m : missingProviders) {
      cli.out()
          .printf(
              "%-10s %-40s %-8s %-12s %-26s %s%n",
              m.substring(0, m.indexOf('/')),
              m.substring(m.indexOf('/') + 1) + ":-",
              "-",
              "-",
              "-",
              "missing (configured provider without credentials)");
    }
  }

  private void printJson(List<Row> rows, List<String> missingProviders, int code) {
    ObjectNode root = StoreJson.MAPPER.createObjectNode();
    ArrayNode arr = root.putArray("profiles");
    for (Row r : rows) {
      ObjectNode o = arr.addObject();
      o.put("agent", r.agent().value());
      o.put("profileId", r.profile().id().toString());
      o.put("provider", r.profile().provider().value());
      o.put("type", r.profile().type().json());
      o.put("status", r.status().kind().json());
      o.put("secret", masked(r.profile()));
      if (r.status().expiresAtMs() != null) {
        o.put("expires", r.status().expiresAtMs());
      }
      if (r.status().blockedUntilMs() != null) {
        o.put("blockedUntil", r.status().blockedUntilMs());
      }
      if (r.status().detail() != null) {
        o.put("detail", r.status().detail());
      }
    }
    ArrayNode miss = root.putArray("missingProviders");
    missingProviders.forEach(miss::add);
    root.put("check", code);
    cli.out().println(root.toPrettyString());
  }

  static String masked(Profile p) {
    Secret s = p.credential().secret();
    return s == null ? "(ref)" : s.masked();
  }

  static String expiry(Long ms) {
    return ms == null ? "never" : Instant.ofEpochMilli(ms).toString();
  }
}
