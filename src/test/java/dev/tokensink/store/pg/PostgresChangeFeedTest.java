package dev.tokensink.store.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.AgentId;
import dev.tokensink.store.StoreException;
import dev.tokensink.testing.PostgresServer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresServer.class)
class PostgresChangeFeedTest {
  private static final AgentId WORK = AgentId.of("work");

  @Test
  void onChange_hearsAWriteOfAnotherStoreWithinASecond(PostgresServer pg) throws Exception {
    String url = pg.newDatabase();
    try (PostgresStore listener = PostgresStoreConcurrencyTest.open(url);
        PostgresStore writer = PostgresStoreConcurrencyTest.open(url)) {
      BlockingQueue<AgentId> heard = new LinkedBlockingQueue<>();
      listener.onChange(heard::add);
      awaitListening(listener);
      long t0 = System.nanoTime();
      writer.update(
          WORK,
          tx -> {
            tx.write(tx.current().withProfile(Samples.apiKey("openrouter:default")));
            return null;
          });
      AgentId first = heard.poll(1, TimeUnit.SECONDS);
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertEquals(WORK, first, "notified within 1 s (took " + ms + " ms)");
    }
  }

  @Test
  void databaseRestart_storeRecoversByItself(PostgresServer shared) throws Exception {
    try (PostgresServer pg = PostgresServer.startNew()) { // private: this test stops it
      String url = pg.newDatabase();
      try (PostgresStore store = PostgresStoreConcurrencyTest.open(url)) {
        BlockingQueue<AgentId> heard = new LinkedBlockingQueue<>();
        store.onChange(heard::add);
        store.createAgent(WORK);
        assertEquals(WORK, heard.poll(5, TimeUnit.SECONDS));
        assertTrue(store.healthy());

        pg.stop();
        assertFalse(store.healthy(), "not ready while the database is down");
        assertThrows(StoreException.class, () -> store.update(WORK, tx -> null));

        pg.start();
        // after reconnecting, the feed reports every agent as changed (it may have missed NOTIFYs)
        assertEquals(WORK, heard.poll(10, TimeUnit.SECONDS));
        assertTrue(store.healthy());
        store.update(
            WORK,
            tx -> {
              tx.write(tx.current().withProfile(Samples.token("anthropic:setup")));
              return null;
            });
        assertEquals(WORK, heard.poll(5, TimeUnit.SECONDS), "live notifications flow again");
        assertEquals(1, store.read(WORK).orElseThrow().profiles().size());
      }
    }
  }

  private static void awaitListening(PostgresStore store) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!store.listening()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("change feed not connected within 10 s");
      }
      Thread.onSpinWait();
    }
  }
}
