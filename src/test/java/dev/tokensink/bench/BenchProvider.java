package dev.tokensink.bench;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import dev.tokensink.testing.StrictOAuthServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Bench process (not a test): starts the strict OAuth provider on a free loopback port with the
 * real clock, seeds a state dir for the service and stays up until its stdin closes.
 *
 * <p>Seeds agent {@code bench} with {@code anthropic:key} (an API key) and {@code strict:default}
 * (an OAuth grant of the provider, access tokens living {@code lifetimeSeconds}), plus {@code
 * agents × perAgent} API-key profiles in agents {@code mem-0000…} for the memory figure, and {@code
 * config.yaml} pointing provider {@code strict} at the server.
 *
 * <p>Usage: {@code BenchProvider STATE_DIR AGENTS PER_AGENT LIFETIME_SECONDS}; prints {@code ready
 * PORT}; the stdin line {@code stats} prints {@code stats refreshCalls=… reuses=… revoked=…}.
 */
public final class BenchProvider {
  private BenchProvider() {}

  public static void main(String[] args) throws Exception {
    Path stateDir = Path.of(args[0]);
    int agents = Integer.parseInt(args[1]);
    int perAgent = Integer.parseInt(args[2]);
    Duration lifetime = Duration.ofSeconds(Long.parseLong(args[3]));
    Clock clock = Clock.systemUTC();
    try (StrictOAuthServer server = StrictOAuthServer.start(clock).accessTokenLifetime(lifetime)) {
      Files.createDirectories(stateDir);
      Files.writeString(
          stateDir.resolve("config.yaml"),
          """
          tokensink:
            providers:
              strict:
                authorize-url: %s
                token-url: %s
                client-id: %s
                redirect-uri: http://127.0.0.1:1455/auth/callback
          """
              .formatted(server.authorizeUri(), server.tokenUri(), StrictOAuthServer.CLIENT_ID));
      StrictOAuthServer.TokenPair grant = server.seedGrant();
      try (FileStore store = new FileStore(FileStoreSettings.of(stateDir), clock)) {
        write(
            store,
            AgentId.of("bench"),
            s ->
                s.withProfile(
                        Profile.of(
                            ProfileId.parse("anthropic:key"),
                            new Credential.ApiKey(
                                Secret.of("sk-ant-bench-0000000000000000"), null, Map.of())))
                    .withProfile(
                        Profile.of(
                            ProfileId.parse("strict:default"),
                            new Credential.OAuth(
                                Secret.of(grant.access()),
                                Secret.of(grant.refresh()),
                                clock.millis() + lifetime.toMillis(),
                                "acct-1",
                                null))));
        for (int a = 0; a < agents; a++) {
          final int agent = a;
          write(
              store,
              AgentId.of(String.format("mem-%04d", a)),
              s -> {
                for (int p = 0; p < perAgent; p++) {
                  s =
                      s.withProfile(
                          Profile.of(
                              ProfileId.parse(String.format("anthropic:k%04d", p)),
                              new Credential.ApiKey(
                                  Secret.of(
                                      String.format("sk-ant-mem-%04d-%04d-000000000000", agent, p)),
                                  null,
                                  Map.of())));
                }
                return s;
              });
        }
      }
      System.out.println("ready " + server.baseUri().getPort());
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line; (line = in.readLine()) != null; ) {
        if (line.equals("stats")) {
          System.out.println(
              "stats refreshCalls="
                  + server.refreshCalls()
                  + " reuses="
                  + server.reusesDetected()
                  + " revoked="
                  + server.grantsRevoked());
          System.out.flush();
        }
      }
    }
  }

  private static void write(
      FileStore store, AgentId agent, java.util.function.UnaryOperator<AgentSnapshot> change) {
    store.update(
        agent,
        tx -> {
          tx.write(change.apply(tx.current()));
          return null;
        });
  }
}
