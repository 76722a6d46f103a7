package dev.tokensink.store;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProfileId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The file store's refresh leases: an OS lock on {@code auth-profiles.json.refresh-<hash>.lock},
 * one file per profile, next to the agent lock. The OS releases it when the holder dies, so a lease
 * is never stale; a refresh-in-flight marker whose lease is free was left by a dead process. One
 * file per profile because closing any channel of a file drops all of a process's locks on it.
 */
final class ProfileLeases {
  private static final long MAX_BACKOFF_MS = 50;

  private ProfileLeases() {}

  static Optional<RefreshLease> acquire(
      Path agentDir, AgentId agent, ProfileId profile, Duration wait) {
    Path file = agentDir.resolve(fileName(profile)).toAbsolutePath().normalize();
    long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
    // JVM file locks are per process: threads of this JVM queue on a semaphore first.
    Optional<RefreshLease> local = InProcessLeases.acquire(file.toString(), wait);
    if (local.isEmpty()) {
      return Optional.empty();
    }
    try {
      Optional<FileChannel> held = lock(agent, file, deadline);
      if (held.isEmpty()) {
        local.get().close();
        return Optional.empty();
      }
      FileChannel channel = held.get();
      return Optional.of(
          new InProcessLeases.Once(
              () -> {
                try {
                  channel.close(); // releases the OS lock
                } catch (IOException ignored) {
                  // closing a lock file cannot lose data
                } finally {
                  local.get().close();
                }
              }));
    } catch (RuntimeException e) {
      local.get().close();
      throw e;
    }
  }

  static String fileName(ProfileId profile) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(profile.toString().getBytes(StandardCharsets.UTF_8));
      return FileStore.PROFILES_FILE + ".refresh-" + HexFormat.of().formatHex(d, 0, 8) + ".lock";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<FileChannel> lock(AgentId agent, Path file, long deadline) {
    FileChannel channel;
    try {
      AtomicFiles.createDirs(file.getParent());
      channel =
          FileChannel.open(
              file,
              Set.of(
                  StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
              AtomicFiles.fileAttrs());
    } catch (IOException e) {
      throw new StoreException(
          "cannot open the refresh lease file of agent " + agent + " (" + file + "): " + e);
    }
    long backoff = 2;
    try {
      while (true) {
        FileLock lock = channel.tryLock();
        if (lock != null) {
          return Optional.of(channel);
        }
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (leftMs <= 0) {
          channel.close();
          return Optional.empty();
        }
        Thread.sleep(Math.min(backoff, leftMs));
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    } catch (IOException | InterruptedException e) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing was locked
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
      throw new StoreException("cannot lock " + file + " for agent " + agent + ": " + e);
    }
  }
}
