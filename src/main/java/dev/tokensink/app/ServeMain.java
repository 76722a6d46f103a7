package dev.tokensink.app;

import dev.tokensink.config.SecuritySettings;
import dev.tokensink.config.SettingsLoader;
import dev.tokensink.security.ServePolicy;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.smallrye.config.SmallRyeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the packaged service ({@code bin/tokensink serve}). Resolves the state dir from
 * {@code --state-dir} / TOKENSINK_STATE_DIR / ~/.tokensink ({@code <stateDir>/config.yaml} is
 * layered into Quarkus' configuration by {@link StateDirConfigSource}), then starts the service and
 * waits for a signal.
 */
@QuarkusMain
public final class ServeMain {
  private ServeMain() {}

  public static void main(String... args) {
    List<String> rest = new ArrayList<>();
    String stateDirFlag = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("serve")) {
        continue;
      } else if (a.equals("--state-dir") && i + 1 < args.length) {
        stateDirFlag = args[++i];
      } else if (a.startsWith("--state-dir=")) {
        stateDirFlag = a.substring("--state-dir=".length());
      } else if (a.equals("--insecure")) {
        System.setProperty("tokensink.grpc.insecure", "true");
      } else if (a.equals("--allow-insecure-state-dir")) {
        System.setProperty("tokensink.allow-insecure-state-dir", "true");
      } else {
        rest.add(a);
      }
    }
    if (!rest.isEmpty()) {
      System.err.println(
          "tokensink serve: unknown arguments "
              + rest
              + "\nusage: tokensink serve [--state-dir DIR] [--insecure] [--allow-insecure-state-dir]");
      System.exit(2);
    }
    Path stateDir = SettingsLoader.resolveStateDir(stateDirFlag, System.getenv());
    System.setProperty("tokensink.state-dir", stateDir.toString());
    // <stateDir>/config.yaml is added by StateDirConfigSource, below env and -D
    refuseUnsafeStart(stateDir);
    Quarkus.run(args);
  }

  /** The start-up policy (docs/security.md), checked before Quarkus binds any port. */
  private static void refuseUnsafeStart(Path stateDir) {
    List<String> refusals;
    try {
      SmallRyeConfig config = SettingsLoader.cliConfig(stateDir);
      String host =
          config.getOptionalValue("quarkus.grpc.server.host", String.class).orElse("127.0.0.1");
      refusals =
          ServePolicy.refusals(
              SettingsLoader.from(config, stateDir), SecuritySettings.from(config), host);
    } catch (RuntimeException e) {
      refusals = List.of(String.valueOf(e.getMessage()));
    }
    if (!refusals.isEmpty()) {
      System.err.println("tokensink serve: refusing to start:");
      refusals.forEach(r -> System.err.println("  - " + r));
      System.exit(2);
    }
  }
}
