package dev.tokensink.store.pg;

import dev.tokensink.model.AgentId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Child JVM of {@link PostgresStoreConcurrencyTest}: opens its own store (a second "replica"),
 * prints "ready", waits for "go", then adds {@code n} profiles named {@code prefix-i}, one update
 * each, and prints "done". Args: url agent prefix n.
 */
public final class PgWriterChild {
  private PgWriterChild() {}

  public static void main(String[] args) throws Exception {
    try (PostgresStore store =
        PostgresStore.open(PgStoreConfig.of(args[0], "postgres", null, null))) {
      System.out.println("ready");
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      if (!"go".equals(in.readLine())) {
        System.exit(3);
      }
      Writers.addProfiles(store, AgentId.of(args[1]), args[2], Integer.parseInt(args[3]));
      System.out.println("done");
    }
  }
}
