package dev.tokensink.app;

import dev.tokensink.config.SettingsLoader;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the packaged service ({@code bin/tokensink serve}). Resolves the state dir from
 * {@code --state-dir} / TOKENSINK_STATE_DIR / ~/.tokensink ({@code <stateDir>/config.yaml} is layered into
 * Quarkus' configuration by {@link StateDirConfigSource}), then starts the service and waits for a signal.
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
      } else {
        rest.add(a);
      }
    }
    if (!rest.isEmpty()) {
      System.err.println("tokensink serve: unknown arguments " + rest
          + "\nusage: tokensink serve [--state-dir DIR] [--insecure]");
      System.exit(2);
    }
    Path stateDir = SettingsLoader.resolveStateDir(stateDirFlag, System.getenv());
    System.setProperty("tokensink.state-dir", stateDir.toString());
    // <stateDir>/config.yaml is added by StateDirConfigSource, below env and -D
    Quarkus.run(args);
  }
}
