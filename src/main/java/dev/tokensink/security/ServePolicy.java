package dev.tokensink.security;

import dev.tokensink.config.Settings;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * What {@code serve} refuses to start with (docs/security.md): a non-loopback gRPC address without
 * callers (unless {@code tokensink.grpc.insecure}), callers that cannot be used, a state dir others
 * can read (unless {@code tokensink.allow-insecure-state-dir}), a socket path in a missing
 * directory, and a config.yaml listing a key twice (a caller listed twice would silently lose one
 * entry). Checked before any port is bound.
 */
public final class ServePolicy {
  private ServePolicy() {}

  /** The reasons to refuse start-up, each saying what to do; empty when the service may start. */
  public static List<String> refusals(Settings settings, String bindHost) {
    List<String> out = new ArrayList<>();
    duplicateKeys(settings.stateDir().resolve("config.yaml")).ifPresent(out::add);
    boolean noCallers = settings.callers().isEmpty();
    try {
      Callers.configured(settings.callers());
    } catch (CallerConfigException e) {
      out.add(e.getMessage());
    }
    if (noCallers && !settings.grpc().insecure() && !isLoopback(bindHost)) {
      out.add(
          "the gRPC address "
              + bindHost
              + " is not a loopback address and no callers are configured:"
              + " anyone who reaches it would get every credential. Configure tokensink.callers (docs/security.md),"
              + " bind to 127.0.0.1, or start with --insecure (tokensink.grpc.insecure=true) if the network is trusted");
    }
    if (settings.store().backend() == Settings.Store.Backend.FILE
        && !settings.allowInsecureStateDir()) {
      List<String> exposed = StateDirPermissions.exposed(settings.stateDir());
      if (!exposed.isEmpty()) {
        out.add(
            "the state dir "
                + settings.stateDir()
                + " holds secrets but other users can read or change "
                + String.join(", ", exposed.subList(0, Math.min(5, exposed.size())))
                + (exposed.size() > 5 ? " and " + (exposed.size() - 5) + " more" : "")
                + ". Run chmod -R go-rwx "
                + settings.stateDir()
                + ", or start with --allow-insecure-state-dir"
                + " (tokensink.allow-insecure-state-dir=true)");
      }
    }
    String socket = settings.grpc().socket().orElse("");
    if (!socket.isBlank()) {
      Path parent = Path.of(socket).toAbsolutePath().getParent();
      if (parent == null || !Files.isDirectory(parent)) {
        out.add(
            "tokensink.grpc.socket: the directory "
                + parent
                + " of "
                + socket
                + " does not exist;"
                + " create it (mode 0700, or 0750 for a group) or choose another path");
      }
    }
    return out;
  }

  /**
   * The warning to log when the service listens beyond loopback without callers, by explicit
   * choice.
   */
  public static Optional<String> insecureWarning(Settings settings, String bindHost) {
    if (settings.callers().isEmpty() && !isLoopback(bindHost)) {
      return Optional.of(
          "INSECURE: gRPC listens on "
              + bindHost
              + " without caller authentication"
              + " (tokensink.grpc.insecure=true); anyone who reaches it gets every credential");
    }
    return Optional.empty();
  }

  public static boolean isLoopback(String host) {
    if (host == null || host.isBlank()) {
      return false;
    }
    try {
      InetAddress[] all = InetAddress.getAllByName(host);
      for (InetAddress a : all) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return all.length > 0;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** A key listed twice in config.yaml (YAML would silently keep only the last one). */
  static java.util.Optional<String> duplicateKeys(Path yaml) {
    if (!Files.isRegularFile(yaml)) {
      return Optional.empty();
    }
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    try (Reader r = Files.newBufferedReader(yaml, StandardCharsets.UTF_8)) {
      new Yaml(new SafeConstructor(options)).load(r);
      return Optional.empty();
    } catch (MarkedYAMLException e) {
      // problem and line only: the marked snippet of the file could show a secret
      String problem = String.valueOf(e.getProblem());
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      return Optional.of(
          yaml
              + " cannot be used: "
              + problem
              + (line > 0 ? " at line " + line : "")
              + (problem.contains("duplicate key")
                  ? " (a caller or key is listed twice: keep one)"
                  : ""));
    } catch (YAMLException e) {
      return Optional.of(yaml + " is not valid YAML");
    } catch (IOException e) {
      return Optional.of(yaml + " cannot be read: " + e.getMessage());
    }
  }
}
