package dev.tokensink.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.AgentId;
import dev.tokensink.testing.JavaProcess;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeWatcherTest {
  @TempDir Path tmp;

  @Test
  void onChange_seesAWriteByAnotherProcess() throws Exception {
    try (FileStore store =
        new FileStore(
            FileStoreSettings.of(tmp).withPollInterval(Duration.ofMillis(20)), Clock.systemUTC())) {
      store.createAgent(AgentId.of("work"));
      LinkedBlockingQueue<AgentId> changed = new LinkedBlockingQueue<>();
      store.onChange(changed::add);
      try (JavaProcess child =
          JavaProcess.start(StoreChild.class, "add", tmp.toString(), "work", "x", "1")) {
        assertEquals("ready", child.readLine());
        child.send("go");
        assertEquals("done", child.readLine());
        assertEquals(0, child.await(30));
      }
      assertEquals(AgentId.of("work"), changed.poll(10, TimeUnit.SECONDS));
      assertTrue(store.read(AgentId.of("work")).orElseThrow().profiles().size() == 1);
    }
  }

  @Test
  void onChange_seesANewAgent_andStopsOnClose() throws Exception {
    // other tests' stores may run watchers in this JVM too: look only at the one this store starts
    java.util.Set<Thread> before = watchers();
    FileStore store =
        new FileStore(
            FileStoreSettings.of(tmp).withPollInterval(Duration.ofMillis(20)), Clock.systemUTC());
    LinkedBlockingQueue<AgentId> changed = new LinkedBlockingQueue<>();
    store.onChange(changed::add);
    store.createAgent(AgentId.of("fresh"));
    assertEquals(AgentId.of("fresh"), changed.poll(10, TimeUnit.SECONDS));
    java.util.Set<Thread> mine = watchers();
    mine.removeAll(before);
    assertEquals(1, mine.size());
    store.close();
    assertTrue(mine.stream().allMatch(t -> !t.isAlive() || waitDead(t)));
  }

  private static java.util.Set<Thread> watchers() {
    java.util.Set<Thread> s = new java.util.HashSet<>();
    Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("tokensink-store-watch") && t.isAlive())
        .forEach(s::add);
    return s;
  }

  private static boolean waitDead(Thread t) {
    try {
      t.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !t.isAlive();
  }
}
