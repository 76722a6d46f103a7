package dev.tokensink.cooldown;

import dev.tokensink.broker.Broker;
import dev.tokensink.broker.CredentialRequest;
import dev.tokensink.broker.ProbeClaims;
import dev.tokensink.broker.RefResolver;
import dev.tokensink.broker.Refresher;
import dev.tokensink.broker.UsageRecorder;
import dev.tokensink.cache.AgentCache;
import dev.tokensink.config.Settings;
import dev.tokensink.config.SettingsLoader;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.Profile;
import dev.tokensink.routing.ConfiguredOrder;
import dev.tokensink.routing.Router;
import dev.tokensink.routing.SessionPins;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import dev.tokensink.store.pg.PgStoreConfig;
import dev.tokensink.store.pg.PostgresStore;
import dev.tokensink.testing.MutableClock;
import io.smallrye.mutiny.Uni;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A separate tokensink process for {@link ProbeAcrossProcessesIT}: the service's {@link Broker}
 * (routing, the probe claim, failover) over a file store on a shared state dir, or over a
 * PostgreSQL store (a replica), driven over stdin/stdout lines.
 *
 * <p>Arguments: {@code file STATE_DIR REQUESTS} or {@code pg JDBC_URL AES_KEY REQUESTS}. Prints
 * {@code ready}; on {@code round MILLIS} sets its clock, reloads the agent (what the change watcher
 * does), fires REQUESTS concurrent GetCredentials and prints {@code done SERVED_BY_A ERRORS}; ends
 * on {@code exit}.
 */
public final class ProbeChild {
  static final AgentId AGENT = AgentId.of("main");

  public static void main(String[] args) throws Exception {
    // Mutiny's infrastructure initialized on one thread before the requests go concurrent (outside
    // Quarkus, a concurrent first use races: "ContextManagerProvider already set")
    Uni.createFrom().deferred(() -> Uni.createFrom().item(1)).await().indefinitely();
    MutableClock clock = new MutableClock(Instant.EPOCH);
    ExecutorService workers = Executors.newFixedThreadPool(16);
    CredentialStore store;
    Path stateDir;
    int requests;
    if (args[0].equals("file")) {
      stateDir = Path.of(args[1]);
      store =
          new FileStore(
              FileStoreSettings.of(stateDir).withLockTimeout(Duration.ofSeconds(60)), clock);
      requests = Integer.parseInt(args[2]);
    } else {
      stateDir = Files.createTempDirectory("tokensink-probe-child-");
      store = PostgresStore.open(PgStoreConfig.of(args[1], "postgres", "", args[2]));
      requests = Integer.parseInt(args[3]);
    }
    Settings settings = SettingsLoader.load(stateDir.toString(), Map.of());
    AgentCache cache = new AgentCache(store);
    RefResolver refs = new RefResolver(Map.of(), stateDir);
    Refresher refresher =
        new Refresher() {
          @Override
          public Uni<Profile> ensureFresh(AgentId agent, Profile cached) {
            return Uni.createFrom().item(cached);
          }
        };
    Broker broker =
        new Broker(
            cache,
            settings,
            clock,
            p -> Optional.empty(),
            refs,
            new Router(Broker.checks(refs), p -> false),
            new SessionPins(clock, 1000, Duration.ofHours(12)),
            refresher,
            new UsageRecorder(store, cache),
            new ProbeClaims(store, cache, clock, CooldownSettings.DEFAULTS),
            new ConfiguredOrder(Map.of()),
            workers);
    ExecutorService callers = Executors.newFixedThreadPool(Math.min(requests, 32));
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("ready");
    for (String line; (line = in.readLine()) != null && line.startsWith("round "); ) {
      clock.set(Instant.ofEpochMilli(Long.parseLong(line.substring(6))));
      cache.load(AGENT);
      CountDownLatch start = new CountDownLatch(1);
      List<CompletableFuture<String>> results = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        CompletableFuture<String> r = new CompletableFuture<>();
        results.add(r);
        callers.execute(
            () -> {
              try {
                start.await();
                broker
                    .getCredential(new CredentialRequest("main", "anthropic", "", "", ""))
                    .subscribe()
                    .with(s -> r.complete(s.profile().id().toString()), r::completeExceptionally);
              } catch (InterruptedException e) {
                r.completeExceptionally(e);
              }
            });
      }
      start.countDown();
      int servedByA = 0;
      int errors = 0;
      for (CompletableFuture<String> r : results) {
        try {
          if (r.join().equals("anthropic:a")) {
            servedByA++;
          }
        } catch (RuntimeException e) {
          errors++;
          System.err.println("request failed: " + e);
        }
      }
      System.out.println("done " + servedByA + " " + errors);
    }
    callers.shutdownNow();
    workers.shutdownNow();
    store.close();
    System.exit(0);
  }
}
