package dev.tokensink.store.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.ProfileId;
import dev.tokensink.store.StoreException;
import dev.tokensink.testing.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresServer.class)
class PostgresFencingTest {
  private static final AgentId MAIN = AgentId.MAIN;
  private static final ProfileId WORK = ProfileId.parse("anthropic:work");

  @Test
  void persist_onAStaleVersion_isRefusedAndChangesNothing(PostgresServer pg) throws Exception {
    String url = pg.newDatabase();
    try (PostgresStore store = PostgresStoreConcurrencyTest.open(url)) {
      writeAccess(store, "v1-access");
      AgentReader reader = new AgentReader(KeyRing.NONE);
      StoredAgent stale;
      try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
        stale = reader.load(c, MAIN).orElseThrow();
      }
      writeAccess(store, "v2-access"); // another replica refreshed meanwhile
      AgentSnapshot mine =
          stale.snapshot().withProfile(Samples.oauth(WORK.toString(), "stale-access", 5L));
      try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
        c.setAutoCommit(false);
        StaleWriteException e =
            assertThrows(
                StaleWriteException.class,
                () -> new AgentWriter(KeyRing.NONE).persist(c, stale, mine));
        c.rollback();
        assertTrue(
            e.getMessage().contains("anthropic:work")
                && e.getMessage().contains("expected version 1"),
            e.getMessage());
        assertTrue(!e.getMessage().contains("access"), "no secret in the message");
      }
      assertEquals("v2-access", access(store));
      assertEquals(2, PgRows.profileVersion(url, MAIN, WORK.toString()));
    }
  }

  /**
   * A replica stalls inside its update (think SIGSTOP during the token call) past
   * idle_in_transaction_session_timeout: PostgreSQL ends its session, another replica takes the
   * lock and refreshes; when the stalled one wakes, its writes are refused and the newer credential
   * stays.
   */
  @Test
  void update_ofAReplicaThatStalledPastItsLock_neverOverwritesTheNewerCredential(PostgresServer pg)
      throws Exception {
    String url = pg.newDatabase();
    PgStoreConfig stallProne =
        PgStoreConfig.of(url, "postgres", null, null)
            .withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(300));
    try (PostgresStore stalled = PostgresStore.open(stallProne);
        PostgresStore other = PostgresStoreConcurrencyTest.open(url)) {
      writeAccess(stalled, "old-access");
      CountDownLatch inTokenCall = new CountDownLatch(1);
      CountDownLatch wake = new CountDownLatch(1);
      CompletableFuture<Void> late =
          CompletableFuture.runAsync(
              () ->
                  stalled.update(
                      MAIN,
                      tx -> {
                        tx.write(
                            tx.current()
                                .withState(tx.current().state().withRefreshInFlight(WORK, 1L)));
                        tx.flush();
                        inTokenCall.countDown();
                        PostgresStoreConcurrencyTest.await(wake);
                        tx.write(
                            tx.current()
                                .withProfile(Samples.oauth(WORK.toString(), "stale-access", 7L)));
                        tx.flush(); // on a fresh connection: only the fencing version stops it
                        return null;
                      }));
      PostgresStoreConcurrencyTest.await(inTokenCall);
      // blocks until PostgreSQL has ended the stalled session and released its lock
      writeAccess(other, "fresh-access");
      wake.countDown();
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> late.get(10, TimeUnit.SECONDS));
      assertInstanceOf(StaleWriteException.class, e.getCause());
      assertEquals("fresh-access", access(other));
    }
  }

  @Test
  void update_whoseSessionWasEnded_failsAtCommitWithoutWriting(PostgresServer pg) throws Exception {
    String url = pg.newDatabase();
    PgStoreConfig stallProne =
        PgStoreConfig.of(url, "postgres", null, null)
            .withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(300));
    try (PostgresStore stalled = PostgresStore.open(stallProne);
        PostgresStore other = PostgresStoreConcurrencyTest.open(url)) {
      writeAccess(stalled, "old-access");
      CountDownLatch locked = new CountDownLatch(1);
      CountDownLatch wake = new CountDownLatch(1);
      CompletableFuture<Void> late =
          CompletableFuture.runAsync(
              () ->
                  stalled.update(
                      MAIN,
                      tx -> {
                        locked.countDown();
                        PostgresStoreConcurrencyTest.await(wake);
                        tx.write(
                            tx.current()
                                .withProfile(Samples.oauth(WORK.toString(), "stale-access", 7L)));
                        return null;
                      }));
      PostgresStoreConcurrencyTest.await(locked);
      writeAccess(other, "fresh-access");
      wake.countDown();
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> late.get(10, TimeUnit.SECONDS));
      assertInstanceOf(StoreException.class, e.getCause());
      assertEquals("fresh-access", access(other));
      // the store recovers: its next update works on a fresh connection
      writeAccess(stalled, "after-access");
      assertEquals("after-access", access(other));
    }
  }

  @Test
  void update_waitingLongerThanLockTimeout_failsWithLockTimeout(PostgresServer pg)
      throws Exception {
    String url = pg.newDatabase();
    PgStoreConfig impatient =
        PgStoreConfig.of(url, "postgres", null, null)
            .withTimeouts(Duration.ofMillis(200), Duration.ofSeconds(60));
    try (PostgresStore holder = PostgresStoreConcurrencyTest.open(url);
        PostgresStore waiter = PostgresStore.open(impatient)) {
      writeAccess(holder, "a");
      CountDownLatch locked = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Void> holding =
          CompletableFuture.runAsync(
              () ->
                  holder.update(
                      MAIN,
                      tx -> {
                        locked.countDown();
                        PostgresStoreConcurrencyTest.await(release);
                        return null;
                      }));
      PostgresStoreConcurrencyTest.await(locked);
      assertThrows(StoreException.LockTimeout.class, () -> waiter.update(MAIN, tx -> null));
      release.countDown();
      holding.get(10, TimeUnit.SECONDS);
    }
  }

  private static void writeAccess(PostgresStore store, String access) {
    store.update(
        MAIN,
        tx -> {
          tx.write(tx.current().withProfile(Samples.oauth(WORK.toString(), access, 1L)));
          return null;
        });
  }

  private static String access(PostgresStore store) {
    return store.read(MAIN).orElseThrow().profile(WORK).credential().secret().reveal();
  }
}
