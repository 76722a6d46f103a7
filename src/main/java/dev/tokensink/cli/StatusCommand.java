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
import dev.tokensink.store.StoreException;
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
      description = "exit 0 all usable, 1 expired, missing, invalid or unreadable, 2 expiring soon")
  boolean check;

  private final Cli cli;

  StatusCommand(Cli cli) {
    this.cli = cli;
  }

  /** One profile's row; {@code source} is where an env profile's key comes from, else null. */
  record Row(AgentId agent, Profile profile, ProfileStatus status, String source) {}

  /** A profile kept in the file that cannot be used, with the reason. */
  record Invalid(AgentId agent, String id, String reason) {}

  /** An agent whose files cannot be read: the message names the file and the fix. */
  record Unreadable(AgentId agent, String message) {}

  @Override
  public Integer call() {
    Settings settings = cli.settings(stateDir.value);
    CredentialStore store = cli.store(stateDir.value);
    String only = agent != null ? agent : cli.globalAgent();
    List<AgentId> agents;
    if (only != null) {
      agents = List.of(AgentId.of(only));
    } else {
      TreeSet<AgentId> all = new TreeSet<>(store.agents());
      all.add(settings.defaultAgent()); // exists without `agents add`: env keys serve it
      agents = List.copyOf(all);
    }
    long now = cli.clock().millis();
    EnvKeys envKeys = new EnvKeys(settings.stateDir(), cli.env());
    List<Row> rows = new ArrayList<>();
    List<Invalid> invalid = new ArrayList<>();
    List<Unreadable> unreadable = new ArrayList<>();
    List<String> missingProviders = new ArrayList<>();
    for (AgentId a : agents) {
      AgentSnapshot s;
      try {
        s = snapshot(store, settings, a);
      } catch (StoreException e) {
        unreadable.add(new Unreadable(a, e.getMessage()));
        continue;
      }
      for (Profile p : s.profiles().values()) {
        String unresolved = unresolvedRef(p, settings);
        ProfileStatus st = ProfileStatus.of(p, s.state(), now, unresolved == null);
        if (unresolved != null) {
          st =
              new ProfileStatus(
                  st.id(), st.kind(), st.expiresAtMs(), st.blockedUntilMs(), unresolved);
        }
        rows.add(new Row(a, p, st, null));
      }
      StoreJson.invalidProfiles(s).forEach((id, why) -> invalid.add(new Invalid(a, id, why)));
      for (ProviderId provider : EnvKeys.providers()) {
        var env = envKeys.profile(provider);
        if (env.isPresent() && s.profile(env.get().id()) == null) {
          rows.add(
              new Row(
                  a,
                  env.get(),
                  ProfileStatus.of(env.get(), s.state(), now, true),
                  envKeys.source(provider).orElse("env")));
        }
      }
      for (String provider : new TreeSet<>(settings.providers().keySet())) {
        ProviderId pid = ProviderId.of(provider);
        if (s.profilesOf(pid).isEmpty() && envKeys.profile(pid).isEmpty()) {
          missingProviders.add(a + "/" + provider);
        }
      }
    }
    List<String> envProblems = envKeys.problems();
    List<ProviderId> missing =
        missingProviders.stream().map(m -> ProviderId.of(m.substring(m.indexOf('/') + 1))).toList();
    int code =
        !invalid.isEmpty() || !unreadable.isEmpty() || !envProblems.isEmpty()
            ? StatusCheck.BROKEN
            : StatusCheck.exitCode(rows.stream().map(Row::status).toList(), missing);
    if (json) {
      printJson(rows, invalid, unreadable, envProblems, missingProviders, code);
    } else {
      printText(rows, invalid, unreadable, envProblems, missingProviders);
    }
    // an agent that cannot be read fails the command too: what it shows is incomplete
    return check || !unreadable.isEmpty() ? code : 0;
  }

  /** The agent as stored; the default agent exists even with nothing stored. */
  private static AgentSnapshot snapshot(CredentialStore store, Settings settings, AgentId a) {
    return store
        .read(a)
        .or(
            () ->
                a.equals(settings.defaultAgent())
                    ? java.util.Optional.of(AgentSnapshot.empty(a))
                    : java.util.Optional.empty())
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

  private void printText(
      List<Row> rows,
      List<Invalid> invalid,
      List<Unreadable> unreadable,
      List<String> envProblems,
      List<String> missingProviders) {
    if (rows.isEmpty() && missingProviders.isEmpty() && invalid.isEmpty() && unreadable.isEmpty()) {
      cli.out()
          .println(
              "no profiles; add one with `tokensink models auth add-key --provider ID` or `login`,"
                  + " or set a provider's key in the environment (e.g. ANTHROPIC_API_KEY)");
    }
    for (Row r : rows) {
      ProfileStatus st = r.status();
      String detail = st.detail() != null ? st.detail() : r.source();
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
                  + (detail != null ? " (" + detail + ")" : ""));
    }
    for (Invalid i : invalid) {
      cli.out()
          .printf(
              "%-10s %-40s %-8s %-12s %-26s %s%n",
              i.agent(), i.id(), "-", "-", "-", "invalid (" + i.reason() + ")");
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
    for (Unreadable u : unreadable) {
      cli.err().println("agent " + u.agent() + " cannot be read: " + u.message());
    }
    for (String p : envProblems) {
      cli.out().println("environment: " + p);
    }
  }

  private void printJson(
      List<Row> rows,
      List<Invalid> invalid,
      List<Unreadable> unreadable,
      List<String> envProblems,
      List<String> missingProviders,
      int code) {
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
      o.put("source", r.source() != null ? r.source() : "stored");
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
    for (Invalid i : invalid) {
      ObjectNode o = arr.addObject();
      o.put("agent", i.agent().value());
      o.put("profileId", i.id());
      o.put("status", "invalid");
      o.put("source", "stored");
      o.put("detail", i.reason());
    }
    ArrayNode miss = root.putArray("missingProviders");
    missingProviders.forEach(miss::add);
    ArrayNode errors = root.putArray("unreadableAgents");
    for (Unreadable u : unreadable) {
      errors.addObject().put("agent", u.agent().value()).put("message", u.message());
    }
    ArrayNode env = root.putArray("environmentProblems");
    envProblems.forEach(env::add);
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
