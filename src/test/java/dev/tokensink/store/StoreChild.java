package dev.tokensink.store;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The child JVM of the cross-process tests. Prints "ready", waits for a line on stdin, then: {@code
 * add STATE AGENT PREFIX N} adds N profiles one update at a time; {@code hold STATE AGENT} takes
 * the agent lock, prints "locked" and keeps it until stdin closes.
 */
public final class StoreChild {
  public static void main(String[] args) throws Exception {
    FileStore store =
        new FileStore(
            FileStoreSettings.of(Path.of(args[1])).withLockTimeout(Duration.ofSeconds(60)),
            Clock.systemUTC());
    AgentId agent = AgentId.of(args[2]);
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in));
    System.out.println("ready");
    System.out.flush();
    stdin.readLine();
    if (args[0].equals("add")) {
      int n = Integer.parseInt(args[4]);
      for (int i = 0; i < n; i++) {
        ProfileId id = ProfileId.parse("openai:" + args[3] + "-" + i);
        store.update(
            agent,
            tx -> {
              tx.write(
                  tx.current()
                      .withProfile(
                          Profile.of(
                              id,
                              new Credential.ApiKey(
                                  Secret.of("sk-" + id.name()), null, Map.of()))));
              return null;
            });
      }
      System.out.println("done");
    } else {
      store.update(
          agent,
          tx -> {
            System.out.println("locked");
            System.out.flush();
            try {
              while (stdin.readLine() != null) {
                // hold the lock until the parent closes stdin
              }
            } catch (java.io.IOException ignored) {
              // parent gone: releasing is right
            }
            return null;
          });
    }
    System.out.flush();
    System.exit(0);
  }
}
