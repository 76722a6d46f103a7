package dev.tokensink.store;

import dev.tokensink.model.AgentId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The exclusive lock of one agent: an in-process {@link ReentrantLock} (shared by every store in
 * this JVM on the same lock file) and an OS file lock on {@code auth-profiles.json.lock} for other
 * processes. The OS releases the file lock when a process dies, so there is no staleness rule and
 * no lock is ever broken by age. Re-entrant within a thread. Waits with bounded backoff up to the
 * timeout, then throws {@link StoreException.LockTimeout}.
 */
public final class AgentLock {
  /**
   * Keyed by the lock file: JVM file locks are per process, and a second lock in one JVM throws.
   */
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

  private static final long MAX_BACKOFF_MS = 100;

  private final Duration timeout;

  public AgentLock(Duration timeout) {
    this.timeout = timeout;
  }

  /** A held lock; {@link #close()} releases it. */
  public interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /** Takes the lock of {@code agent} whose lock file is {@code lockFile} (its dir must exist). */
  public Held acquire(AgentId agent, Path lockFile) {
    Path key = lockFile.toAbsolutePath().normalize();
    ReentrantLock local = LOCAL.computeIfAbsent(key, k -> new ReentrantLock());
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!local.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw timedOut(agent);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for the lock of agent " + agent);
    }
    if (local.getHoldCount() > 1) {
      return local::unlock; // nested update in the same thread: the file lock is already ours
    }
    try {
      FileChannel channel = lockFileLock(agent, key, deadline);
      return () -> {
        try {
          channel.close(); // releases the OS lock
        } catch (IOException ignored) {
          // closing a lock file cannot lose data
        } finally {
          local.unlock();
        }
      };
    } catch (RuntimeException e) {
      local.unlock();
      throw e;
    }
  }

  private FileChannel lockFileLock(AgentId agent, Path file, long deadline) {
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              file,
              // never through a link: a lock file swapped for a link to another file must not open
              // that file
              Set.of(
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE,
                  java.nio.file.LinkOption.NOFOLLOW_LINKS),
              AtomicFiles.fileAttrs());
    } catch (IOException e) {
      throw new StoreException(
          "cannot open the lock file of agent " + agent + " (" + file + "): " + e);
    }
    long backoff = 2;
    try {
      while (true) {
        FileLock lock = channel.tryLock();
        if (lock != null) {
          return channel;
        }
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (leftMs <= 0) {
          throw timedOut(agent);
        }
        Thread.sleep(Math.min(backoff, leftMs));
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing was locked
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new StoreException("interrupted while waiting for the lock of agent " + agent);
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new StoreException("cannot lock " + file + " for agent " + agent + ": " + e);
    }
  }

  private StoreException.LockTimeout timedOut(AgentId agent) {
    long ms = timeout.toMillis();
    String waited = ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    return new StoreException.LockTimeout(
        "agent " + agent + " is locked by another writer; waited " + waited);
  }
}
