package dev.tokensink.store.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.ProfileId;
import dev.tokensink.testing.JavaProcess;
import dev.tokensink.testing.PostgresServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresServer.class)
class PostgresStoreConcurrencyTest {
  private static final AgentId MAIN = AgentId.MAIN;
  private static final int N = 40;

  @Test
  void update_fromTwoThreadsOnTwoStores_losesNoProfile(PostgresServer pg) throws Exception {
    String url = pg.newDatabase();
    try (PostgresStore a = open(url);
        PostgresStore b = open(url)) {
      CountDownLatch start = new CountDownLatch(1);
      CompletableFuture<Void> fa =
          CompletableFuture.runAsync(
              () -> {
                await(start);
                Writers.addProfiles(a, MAIN, "a", N);
              });
      CompletableFuture<Void> fb =
          CompletableFuture.runAsync(
              () -> {
                await(start);
                Writers.addProfiles(b, MAIN, "b", N);
              });
      start.countDown();
      CompletableFuture.allOf(fa, fb).get(60, TimeUnit.SECONDS);
      assertEquals(2 * N, a.read(MAIN).orElseThrow().profiles().size());
    }
  }

  @Test
  void update_fromTwoJvms_losesNoProfile(PostgresServer pg) throws Exception {
    String url = pg.newDatabase();
    try (PostgresStore store = open(url);
        JavaProcess one =
            JavaProcess.start(PgWriterChild.class, url, "main", "p1", Integer.toString(N));
        JavaProcess two =
            JavaProcess.start(PgWriterChild.class, url, "main", "p2", Integer.toString(N))) {
      assertEquals("ready", one.readLine());
      assertEquals("ready", two.readLine());
      one.send("go");
      two.send("go");
      assertEquals("done", one.readLine());
      assertEquals("done", two.readLine());
      assertEquals(0, one.await(30));
      assertEquals(0, two.await(30));
      AgentSnapshot s = store.read(MAIN).orElseThrow();
      assertEquals(2 * N, s.profiles().size());
      assertTrue(s.profiles().containsKey(ProfileId.parse("openrouter:p1-" + (N - 1))));
      assertTrue(s.profiles().containsKey(ProfileId.parse("openrouter:p2-" + (N - 1))));
    }
  }

  @Test
  void flush_isVisibleToOthersWhileTheLockIsStillHeld(PostgresServer pg) throws Exception {
    String url = pg.newDatabase();
    ProfileId work = ProfileId.parse("anthropic:work");
    try (PostgresStore a = open(url);
        PostgresStore b = open(url)) {
      a.update(
          MAIN,
          tx -> {
            tx.write(tx.current().withProfile(Samples.oauth("anthropic:work", "old-access", 1L)));
            return null;
          });
      CountDownLatch flushed = new CountDownLatch(1);
      CountDownLatch tokenCallDone = new CountDownLatch(1);
      CompletableFuture<Void> refresher =
          CompletableFuture.runAsync(
              () ->
                  a.update(
                      MAIN,
                      tx -> {
                        tx.write(
                            tx.current()
                                .withState(tx.current().state().withRefreshInFlight(work, 42L)));
                        tx.flush();
                        flushed.countDown();
                        await(tokenCallDone); // the token endpoint call, with the agent lock held
                        AgentSnapshot s = tx.current();
                        tx.write(
                            s.withProfile(Samples.oauth("anthropic:work", "new-access", 2L))
                                .withState(s.state().withRefreshInFlight(work, null)));
                        return null;
                      }));
      assertTrue(flushed.await(10, TimeUnit.SECONDS));
      // durable: another replica sees the marker while the refresh is still running
      assertEquals(42L, b.read(MAIN).orElseThrow().state().refreshInFlight().get(work));
      // still locked: another replica's update waits, then sees the final credential
      CompletableFuture<String> waiter =
          CompletableFuture.supplyAsync(
              () ->
                  b.update(
                      MAIN,
                      tx ->
                          tx.current().profile(work).credential().secret().reveal()
                              + "/"
                              + tx.current().state().refreshInFlight()));
      Locks.awaitBlockedOnLock(url, 10);
      tokenCallDone.countDown();
      refresher.get(10, TimeUnit.SECONDS);
      assertEquals("new-access/{}", waiter.get(10, TimeUnit.SECONDS));
    }
  }

  static PostgresStore open(String url) {
    return PostgresStore.open(PgStoreConfig.of(url, "postgres", null, null));
  }

  static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
