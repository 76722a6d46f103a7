package dev.tokensink.store;

import dev.tokensink.model.AgentId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Polls each agent's auth-profiles.json and auth-state.json for (mtime, size, file key) on one
 * daemon thread and tells the listeners which agent changed, whoever wrote it (this process or
 * another). An atomic rename gives the file a new file key (inode), so a rewrite is seen even when
 * the mtime granularity is coarse and the size is the same. Our own writes fire too (harmless: the
 * cache re-reads).
 */
final class ChangeWatcher implements AutoCloseable {
  private final FileStore store;
  private final List<Consumer<AgentId>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService thread;
  private Map<AgentId, List<Object>> last; // confined to the polling thread after the constructor

  ChangeWatcher(FileStore store, Duration interval) {
    this.store = store;
    this.last = scan();
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tokensink-store-watch");
              t.setDaemon(true);
              return t;
            });
    long ms = Math.max(1, interval.toMillis());
    thread.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
  }

  void add(Consumer<AgentId> listener) {
    listeners.add(listener);
  }

  private void poll() {
    try {
      Map<AgentId, List<Object>> now = scan();
      for (Map.Entry<AgentId, List<Object>> e : now.entrySet()) {
        if (!Objects.equals(last.get(e.getKey()), e.getValue())) {
          fire(e.getKey());
        }
      }
      for (AgentId gone : last.keySet()) {
        if (!now.containsKey(gone)) {
          fire(gone);
        }
      }
      last = now;
    } catch (RuntimeException e) {
      // a transient listing error must not stop the watcher; the next poll tries again
    }
  }

  private void fire(AgentId agent) {
    for (Consumer<AgentId> l : listeners) {
      try {
        l.accept(agent);
      } catch (RuntimeException e) {
        // one failing listener must not starve the others or kill the thread
      }
    }
  }

  private Map<AgentId, List<Object>> scan() {
    Map<AgentId, List<Object>> out = new HashMap<>();
    for (AgentId a : store.agents()) {
      Path dir = store.agentDir(a);
      out.put(
          a,
          List.of(
              stamp(dir.resolve(FileStore.PROFILES_FILE)),
              stamp(dir.resolve(FileStore.STATE_FILE))));
    }
    return out;
  }

  private static List<Object> stamp(Path file) {
    try {
      BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
      Object key = attrs.fileKey();
      return List.of(attrs.lastModifiedTime(), attrs.size(), key == null ? "" : key);
    } catch (NoSuchFileException e) {
      return List.of("absent");
    } catch (IOException e) {
      return List.of("unreadable");
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
