package dev.tokensink.app;

import dev.tokensink.config.Settings;
import dev.tokensink.config.SettingsLoader;
import dev.tokensink.security.ServePolicy;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.smallrye.config.SmallRyeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    Path stateDir = refuseUnsafeStart(stateDirFlag);
    // Quarkus reads the same state dir; its config.yaml is added by StateDirConfigSource, below
    // env and -D
    System.setProperty("tokensink.state-dir", stateDir.toString());
    Quarkus.run(args);
  }

  /** The start-up policy (docs/security.md), checked before Quarkus binds any port. */
  private static Path refuseUnsafeStart(String stateDirFlag) {
    List<String> refusals;
    Path stateDir = null;
    try {
      SmallRyeConfig config = SettingsLoader.config(stateDirFlag, System.getenv(), Map.of());
      String host =
          config.getOptionalValue("quarkus.grpc.server.host", String.class).orElse("127.0.0.1");
      Settings settings = SettingsLoader.of(config);
      stateDir = settings.stateDir();
      refusals = ServePolicy.refusals(settings, host);
    } catch (RuntimeException e) {
      // any configuration failure (a key that does not convert, which SmallRye names; an
      // expression that does not resolve; callers that cannot be used) is a message and exit 2
      refusals = List.of(String.valueOf(e.getMessage()));
    }
    if (!refusals.isEmpty()) {
      System.err.println("tokensink serve: refusing to start:");
      refusals.forEach(r -> System.err.println("  - " + r));
      System.exit(2);
    }
    return stateDir;
  }
}
