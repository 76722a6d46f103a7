package dev.tokensink.store.pg;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProfileId;
import dev.tokensink.testing.PostgresServer;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Rough latency numbers of the PostgreSQL store on a local throwaway cluster (not a test; run by
 * hand: {@code java -cp … dev.tokensink.store.pg.PgBench [key]}). Prints medians and p99 in
 * microseconds.
 */
public final class PgBench {
  private PgBench() {}

  public static void main(String[] args) throws Exception {
    String key = args.length > 0 ? args[0] : null;
    try (PostgresServer pg = PostgresServer.startNew()) {
      String url = pg.newDatabase();
      long t0 = System.nanoTime();
      PostgresStore first = PostgresStore.open(PgStoreConfig.of(url, "postgres", null, key));
      System.out.printf("open, migrating an empty database: %d ms%n", ms(t0));
      t0 = System.nanoTime();
      try (PostgresStore store = PostgresStore.open(PgStoreConfig.of(url, "postgres", null, key))) {
        System.out.printf("open, schema current (warm JVM): %d ms%n", ms(t0));
        AgentId main = AgentId.MAIN;
        store.update(
            main,
            tx -> {
              var s = tx.current();
              for (int i = 0; i < 10; i++) {
                s = s.withProfile(Samples.oauth("anthropic:p" + i, "access-" + i, 1L));
              }
              tx.write(s);
              return null;
            });
        ProfileId p0 = ProfileId.parse("anthropic:p0");
        int n = 2000;
        report("read (10 profiles)", n, () -> store.read(main).orElseThrow());
        report("update, no write", n, () -> store.update(main, tx -> null));
        long[] counter = {0};
        report(
            "update, 1 profile's tokens",
            n,
            () ->
                store.update(
                    main,
                    tx -> {
                      tx.write(
                          tx.current()
                              .withProfile(Samples.oauth("anthropic:p0", "a" + counter[0]++, 2L)));
                      return null;
                    }));
        report(
            "refresh shape: marker+flush, tokens+clear",
            n,
            () ->
                store.update(
                    main,
                    tx -> {
                      tx.write(
                          tx.current()
                              .withState(tx.current().state().withRefreshInFlight(p0, counter[0])));
                      tx.flush();
                      tx.write(
                          tx.current()
                              .withProfile(Samples.oauth("anthropic:p0", "b" + counter[0]++, 3L))
                              .withState(tx.current().state().withRefreshInFlight(p0, null)));
                      return null;
                    }));
        notifyLatency(first, store, main, 200);
        report("healthy()", n, store::healthy);
      }
      first.close();
    }
  }

  private static void notifyLatency(
      PostgresStore listener, PostgresStore writer, AgentId agent, int n) throws Exception {
    long[] lat = new long[n];
    for (int i = 0; i < n; i++) {
      CountDownLatch heard = new CountDownLatch(1);
      listener.onChange(a -> heard.countDown());
      long t = System.nanoTime();
      int v = i;
      writer.update(
          agent,
          tx -> {
            tx.write(
                tx.current()
                    .withState(
                        tx.current()
                            .state()
                            .withRefreshInFlight(ProfileId.parse("anthropic:p1"), (long) v)));
            return null;
          });
      if (!heard.await(5, TimeUnit.SECONDS)) {
        throw new AssertionError("no notification");
      }
      lat[i] = (System.nanoTime() - t) / 1000;
    }
    print("write -> other store's onChange", lat);
  }

  private static void report(String what, int n, Runnable r) {
    for (int i = 0; i < n / 4; i++) {
      r.run(); // warm-up
    }
    long[] lat = new long[n];
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      r.run();
      lat[i] = (System.nanoTime() - t) / 1000;
    }
    print(what, lat);
  }

  private static void print(String what, long[] lat) {
    Arrays.sort(lat);
    System.out.printf(
        "%-44s p50 %6d us  p99 %6d us  (n=%d)%n",
        what, lat[lat.length / 2], lat[lat.length * 99 / 100], lat.length);
  }

  private static long ms(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }
}
