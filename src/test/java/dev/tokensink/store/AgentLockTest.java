package dev.tokensink.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import dev.tokensink.testing.JavaProcess;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentLockTest {
  @TempDir Path tmp;

  FileStore store(Duration lockTimeout) {
    return new FileStore(FileStoreSettings.of(tmp).withLockTimeout(lockTimeout), Clock.systemUTC());
  }

  @Test
  void update_whileAnotherThreadHoldsTheLock_timesOutWithClearMessage() throws Exception {
    FileStore holder = store(Duration.ofSeconds(10));
    FileStore waiter = store(Duration.ofMillis(300));
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> holding =
        CompletableFuture.runAsync(
            () ->
                holder.update(
                    AgentId.MAIN,
                    tx -> {
                      held.countDown();
                      await(release);
                      return null;
                    }));
    assertTrue(held.await(10, TimeUnit.SECONDS));
    StoreException.LockTimeout e =
        assertThrows(
            StoreException.LockTimeout.class, () -> waiter.update(AgentId.MAIN, tx -> null));
    assertEquals("agent main is locked by another writer; waited 300 ms", e.getMessage());
    waiter.update(AgentId.of("other"), tx -> null); // other agents are not blocked
    release.countDown();
    holding.get(10, TimeUnit.SECONDS);
    waiter.update(AgentId.MAIN, tx -> null);
  }

  @Test
  void update_whileAnotherProcessHoldsTheLock_timesOut_thenWorksOnceThatProcessDies()
      throws Exception {
    store(Duration.ofSeconds(1)).createAgent(AgentId.MAIN);
    try (JavaProcess child = JavaProcess.start(StoreChild.class, "hold", tmp.toString(), "main")) {
      assertEquals("ready", child.readLine());
      child.send("go");
      assertEquals("locked", child.readLine());
      StoreException.LockTimeout e =
          assertThrows(
              StoreException.LockTimeout.class,
              () -> store(Duration.ofMillis(500)).update(AgentId.MAIN, tx -> null));
      assertTrue(e.getMessage().contains("waited 500 ms"), e.getMessage());
      child.close(); // killed: the OS releases its lock, no staleness rule needed
      child.await(10);
    }
    store(Duration.ofSeconds(10)).update(AgentId.MAIN, tx -> null);
  }

  @Test
  void nestedUpdateOfSameAgent_inOneThread_doesNotDeadlock() {
    FileStore store = store(Duration.ofMillis(300));
    store.update(AgentId.MAIN, tx -> store.update(AgentId.MAIN, inner -> null));
  }

  @Test
  void twoProcesses_adding50ProfilesEach_loseNothing() throws Exception {
    FileStore store = store(Duration.ofSeconds(10));
    store.createAgent(AgentId.MAIN);
    try (JavaProcess a =
            JavaProcess.start(StoreChild.class, "add", tmp.toString(), "main", "a", "50");
        JavaProcess b =
            JavaProcess.start(StoreChild.class, "add", tmp.toString(), "main", "b", "50")) {
      assertEquals("ready", a.readLine());
      assertEquals("ready", b.readLine());
      a.send("go");
      b.send("go");
      assertEquals("done", a.readLine());
      assertEquals("done", b.readLine());
      assertEquals(0, a.await(60));
      assertEquals(0, b.await(60));
    }
    Map<ProfileId, Profile> profiles = store.read(AgentId.MAIN).orElseThrow().profiles();
    assertEquals(100, profiles.size());
    Credential.ApiKey k =
        (Credential.ApiKey) profiles.get(ProfileId.parse("openai:b-49")).credential();
    assertEquals(Secret.of("sk-b-49"), k.key());
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(30, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
