package dev.tokensink.cli;

import dev.tokensink.config.ProviderSettings;
import dev.tokensink.config.Settings;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.EnvKeys;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.StoreException;
import dev.tokensink.store.StoreJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code doctor}: state dir permissions, JSON validity, clock sanity, duplicate refresh tokens
 * across profiles or agents, reachability of configured token endpoints. Exit 1 when it finds a
 * problem.
 */
@Command(name = "doctor", description = "Check the state dir, files, clock and token endpoints.")
final class DoctorCommand implements Callable<Integer> {
  @Mixin Opts.StateDir stateDir;

  @Option(names = "--offline", description = "skip the token endpoint reachability check")
  boolean offline;

  private final Cli cli;
  private final List<String> problems = new ArrayList<>();

  DoctorCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws IOException {
    Settings settings = cli.settings(stateDir.value);
    Path dir = settings.stateDir();
    if (!Files.isDirectory(dir)) {
      problem("state dir " + dir + " does not exist; create it with `tokensink agents add main`");
      return finish();
    }
    checkModes(dir);
    var store = cli.store(stateDir.value);
    store.writeRefusal().ifPresent(r -> problem(r));
    Map<String, String> refreshOwners = new HashMap<>();
    for (AgentId a : store.agents()) {
      try {
        AgentSnapshot s = store.read(a).orElseThrow();
        ok("agent " + a + ": " + s.profiles().size() + " profile(s), files parse");
        for (Profile p : s.profiles().values()) {
          if (p.credential() instanceof Credential.OAuth o
              && o.refresh() != null
              && !o.refresh().isBlank()) {
            String owner = refreshOwners.putIfAbsent(o.refresh().reveal(), a + "/" + p.id());
            if (owner != null) {
              problem(
                  "the same refresh token is stored in "
                      + owner
                      + " and "
                      + a
                      + "/"
                      + p.id()
                      + ": two owners revoke each other; log one of them out and log in afresh");
            }
          }
        }
        s.state()
            .reauth()
            .forEach(
                (id, m) ->
                    problem(
                        "agent "
                            + a
                            + " profile "
                            + id
                            + " needs a new login: "
                            + m.reason()
                            + " (tokensink models auth login --provider "
                            + id.provider()
                            + " --agent "
                            + a
                            + ")"));
        StoreJson.invalidProfiles(s)
            .forEach(
                (id, why) ->
                    problem(
                        "agent "
                            + a
                            + " profile "
                            + id
                            + " is invalid ("
                            + why
                            + ") and is not used; fix the entry in "
                            + profilesFile(store, a)
                            + repairHint(id, a)));
      } catch (StoreException.TooLarge e) {
        problem("agent " + a + ": " + e.getMessage() + "; " + tooLargeFix(store, a, e));
      } catch (StoreException e) {
        problem("agent " + a + ": " + e.getMessage());
      }
    }
    new EnvKeys(dir, cli.env()).problems().forEach(p -> problem("environment: " + p));
    checkClock(dir);
    if (!offline) {
      settings.providers().forEach((id, p) -> checkReachable(ProviderSettings.of(id, p)));
    }
    return finish();
  }

  private String profilesFile(CredentialStore store, AgentId a) {
    return store instanceof FileStore fs
        ? fs.agentDir(a).resolve("auth-profiles.json").toString()
        : "the store";
  }

  /** The logout command that removes an entry, when its id can be typed at all. */
  private String repairHint(String id, AgentId a) {
    try {
      ProfileId.parse(id);
      return ", or remove it with `" + logout(id, a) + "`";
    } catch (IllegalArgumentException e) {
      return " (its id is not valid: rename or delete it there)";
    }
  }

  private String logout(String id, AgentId a) {
    return "tokensink models auth logout "
        + id
        + " --agent "
        + a
        + " --state-dir "
        + cli.settings(stateDir.value).stateDir();
  }

  /**
   * The exact command that repairs an agent whose file is over the size limit: the logout of each
   * profile whose secret is over {@link Secret#MAX_BYTES} (logout can read such a file), else how
   * to set the file aside.
   */
  private String tooLargeFix(CredentialStore store, AgentId a, StoreException.TooLarge e) {
    String aside =
        "move it aside (`mv "
            + e.file()
            + " "
            + e.file()
            + ".too-large`) and add its"
            + " profiles again, or raise tokensink.store.max-file-size";
    if (!(store instanceof FileStore fs)) {
      return aside;
    }
    try {
      AgentSnapshot s = fs.repairing().read(a).orElseThrow();
      List<String> commands = new ArrayList<>();
      for (Profile p : s.profiles().values()) {
        Secret refresh = p.credential() instanceof Credential.OAuth o ? o.refresh() : null;
        for (Secret secret : java.util.Arrays.asList(p.credential().secret(), refresh)) {
          if (secret != null && secret.bytes() > Secret.MAX_BYTES) {
            commands.add("`" + logout(p.id().toString(), a) + "`");
            break;
          }
        }
      }
      return commands.isEmpty()
          ? aside
          : "repair it with "
              + String.join(" and ", commands)
              + " (the profile with an oversized"
              + " secret; then add it again with a secret of at most "
              + Secret.MAX_BYTES
              + " bytes)";
    } catch (RuntimeException unreadable) {
      return aside;
    }
  }

  private void checkModes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir, 4)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isSymbolicLink(f)) {
          problem(
              f
                  + " is a symbolic link; tokensink refuses symlinked state files and agent dirs"
                  + " (unless tokensink.store.allow-symlinks): replace it with a real file or"
                  + " directory");
          continue;
        }
        Set<PosixFilePermission> perms =
            Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS);
        if (perms.contains(PosixFilePermission.OTHERS_READ)
            || perms.contains(PosixFilePermission.OTHERS_WRITE)
            || perms.contains(PosixFilePermission.GROUP_WRITE)
            || perms.contains(PosixFilePermission.GROUP_READ)) {
          problem(
              f
                  + " is readable or writable by others ("
                  + java.nio.file.attribute.PosixFilePermissions.toString(perms)
                  + "); `serve` refuses such a state dir: run chmod -R go-rwx "
                  + dir);
        }
      }
    }
    ok("permissions of " + dir + " checked");
  }

  private void checkClock(Path dir) throws IOException {
    long now = cli.clock().millis();
    if (now < Instant.parse("2025-01-01T00:00:00Z").toEpochMilli()) {
      problem(
          "the system clock says "
              + Instant.ofEpochMilli(now)
              + "; fix the clock (token expiry depends on it)");
      return;
    }
    try (Stream<Path> files = Files.walk(dir, 4)) {
      long newest =
          files
              .filter(Files::isRegularFile)
              .mapToLong(f -> f.toFile().lastModified())
              .max()
              .orElse(0);
      if (newest > now + 5 * 60_000) {
        problem(
            "a state file was modified at "
                + Instant.ofEpochMilli(newest)
                + ", after now ("
                + Instant.ofEpochMilli(now)
                + "); the clock may have jumped back");
        return;
      }
    }
    ok("clock " + Instant.ofEpochMilli(now));
  }

  private void checkReachable(ProviderSettings p) {
    if (p.tokenUrl() == null) {
      problem(
          "provider "
              + p.id()
              + " has no token-url (tokensink.providers."
              + p.id()
              + ".token-url)");
      return;
    }
    URI u = URI.create(p.tokenUrl());
    int port = u.getPort() > 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(u.getHost(), port), 3000);
      ok("token endpoint of " + p.id() + " reachable (" + u.getHost() + ":" + port + ")");
    } catch (IOException | IllegalArgumentException e) {
      problem(
          "token endpoint of "
              + p.id()
              + " ("
              + u.getHost()
              + ":"
              + port
              + ") is not reachable: "
              + e.getMessage());
    }
  }

  private void ok(String msg) {
    cli.out().println("ok    " + msg);
  }

  private void problem(String msg) {
    problems.add(msg);
    cli.out().println("FAIL  " + msg);
  }

  private int finish() {
    cli.out()
        .println(problems.isEmpty() ? "no problems found" : problems.size() + " problem(s) found");
    return problems.isEmpty() ? 0 : 1;
  }
}
