package dev.tokensink.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * Durable, atomic file replacement for secret files: a temp file {@code .NAME.tmp-RANDOM} in the
 * same directory, created 0600, written, fsynced, renamed over the target, then the directory
 * fsynced. Readers either see the old or the new content, never a partial one. Temp files left by a
 * crash are invisible to readers (they read only the real names) and removed by {@link
 * #cleanupTemps}.
 */
public final class AtomicFiles {
  static final String TEMP_MARK = ".tmp-";
  private static final boolean POSIX =
      java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /**
   * Creates {@code dir} and missing parents with mode 0700 (existing dirs are left as they are).
   */
  public static void createDirs(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null) {
      createDirs(parent);
    }
    try {
      Files.createDirectory(dir, dirAttrs());
    } catch (FileAlreadyExistsException raced) {
      // another process created it meanwhile: fine
    }
  }

  /** Atomically replaces (or creates) {@code target} with {@code content}, mode 0600. */
  public static void write(Path target, byte[] content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    createDirs(dir);
    byte[] rnd = new byte[8];
    RANDOM.nextBytes(rnd);
    Path tmp = dir.resolve("." + target.getFileName() + TEMP_MARK + HexFormat.of().formatHex(rnd));
    try {
      // The mode is set at creation, so the secret is never readable by others, not even briefly.
      try (FileChannel ch =
          FileChannel.open(
              tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), fileAttrs())) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true); // data on disk before the rename makes it visible
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    syncDir(dir); // the rename itself survives a power loss
  }

  /** Reads a file, or empty when it does not exist. */
  public static Optional<byte[]> readIfExists(Path file) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Removes temp files a crashed writer left for {@code name} in {@code dir}. Call under the lock.
   */
  public static void cleanupTemps(Path dir, String name) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "." + name + TEMP_MARK + "*")) {
      for (Path p : ds) {
        Files.deleteIfExists(p);
      }
    }
  }

  static void syncDir(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some platforms/filesystems cannot open or fsync a directory; the rename is still atomic
    }
  }

  static FileAttribute<?>[] fileAttrs() {
    return POSIX ? new FileAttribute<?>[] {perms("rw-------")} : new FileAttribute<?>[0];
  }

  static FileAttribute<?>[] dirAttrs() {
    return POSIX ? new FileAttribute<?>[] {perms("rwx------")} : new FileAttribute<?>[0];
  }

  private static FileAttribute<Set<PosixFilePermission>> perms(String mode) {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode));
  }
}
