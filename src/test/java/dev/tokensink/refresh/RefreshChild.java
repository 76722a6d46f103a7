package dev.tokensink.refresh;

import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Profile;
import dev.tokensink.oauth.TokenClient;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import dev.tokensink.testing.MutableClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A separate tokensink process for the cross-process tests, driven over stdin/stdout lines.
 *
 * <p>{@code serve STATE_DIR TOKEN_URL CALLERS}: prints {@code ready}; on {@code round MILLIS} sets
 * its clock, reads the profile from the store (a stale cache) and fires CALLERS concurrent
 * ensureFresh calls, then prints {@code done HASH DISTINCT ERRORS ENDPOINT_CALLS}; {@code exit}
 * ends it.
 *
 * <p>{@code churn STATE_DIR TOKEN_URL MILLIS}: recovers markers, then forces refreshes in a loop,
 * printing {@code rotated} after each, until it is killed or the profile needs re-auth.
 */
public final class RefreshChild {
  public static void main(String[] args) throws Exception {
    MutinyWarmup.run();
    MutableClock clock = new MutableClock(Instant.EPOCH);
    ExecutorService workers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r);
              t.setDaemon(true);
              return t;
            });
    FileStore store =
        new FileStore(
            FileStoreSettings.of(Path.of(args[1])).withLockTimeout(Duration.ofSeconds(60)), clock);
    RefreshCoordinator c =
        new RefreshCoordinator(
            store,
            new TokenClient(),
            RefreshFixture.providers(args[2], Duration.ZERO),
            workers,
            clock,
            RefreshSettings.DEFAULTS,
            s -> {},
            e -> {});
    if (args[0].equals("churn")) {
      clock.set(Instant.ofEpochMilli(Long.parseLong(args[3])));
      churn(store, c);
    } else {
      serve(store, c, clock, Integer.parseInt(args[3]));
    }
    System.exit(0);
  }

  private static void churn(FileStore store, RefreshCoordinator c) {
    c.recoverInterrupted(List.of(store.read(RefreshFixture.AGENT).orElseThrow())).join();
    System.out.println("ready");
    while (true) {
      AgentSnapshot s = store.read(RefreshFixture.AGENT).orElseThrow();
      if (s.state().reauth().containsKey(RefreshFixture.ID)) {
        System.out.println("reauth");
        return;
      }
      Profile p = s.profile(RefreshFixture.ID);
      try {
        c.forceRefresh(RefreshFixture.AGENT, p.id(), RefreshFixture.oauth(p).access())
            .await()
            .indefinitely();
        System.out.println("rotated");
      } catch (RefreshException e) {
        System.out.println("error " + e.kind());
        return;
      }
    }
  }

  private static void serve(FileStore store, RefreshCoordinator c, MutableClock clock, int callers)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(callers, 32));
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("ready");
    for (String line; (line = in.readLine()) != null && line.startsWith("round "); ) {
      clock.set(Instant.ofEpochMilli(Long.parseLong(line.substring(6))));
      Profile cached = store.read(RefreshFixture.AGENT).orElseThrow().profile(RefreshFixture.ID);
      CountDownLatch start = new CountDownLatch(1);
      List<CompletableFuture<Profile>> results = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        CompletableFuture<Profile> r = new CompletableFuture<>();
        results.add(r);
        pool.execute(
            () -> {
              try {
                start.await();
                c.ensureFresh(RefreshFixture.AGENT, cached)
                    .subscribe()
                    .with(r::complete, r::completeExceptionally);
              } catch (InterruptedException e) {
                r.completeExceptionally(e);
              }
            });
      }
      start.countDown();
      Set<String> access = new HashSet<>();
      int errors = 0;
      for (CompletableFuture<Profile> r : results) {
        try {
          access.add(RefreshFixture.oauth(r.join()).access().reveal());
        } catch (RuntimeException e) {
          errors++;
        }
      }
      String hash =
          access.isEmpty() ? "-" : Integer.toHexString(access.iterator().next().hashCode());
      for (CompletableFuture<Profile> r : results) {
        if (!r.isCompletedExceptionally() && access.size() > 1) {
          System.err.println(
              "served "
                  + Integer.toHexString(RefreshFixture.oauth(r.join()).access().reveal().hashCode())
                  + " exp "
                  + RefreshFixture.oauth(r.join()).expires()
                  + " now "
                  + clock.millis()
                  + " cachedExp "
                  + RefreshFixture.oauth(cached).expires());
        }
      }
      System.out.println(
          "done "
              + hash
              + " "
              + access.size()
              + " "
              + errors
              + " "
              + c.counters().endpointCalls()
              + " "
              + c.counters());
    }
    pool.shutdownNow();
  }
}
