package dev.tokensink.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the file store's own state files within its limits: a file that is a symbolic link is
 * refused unless allowed (a link to {@code /etc/passwd} must not be parsed, echoed in an error, or
 * written through), and a file larger than the bound is refused before it is read into memory.
 */
final class StateFiles {
  private StateFiles() {}

  /** The file's bytes, or empty when it does not exist. */
  static Optional<byte[]> read(Path file, FileStoreSettings limits) throws IOException {
    if (!limits.allowSymlinks() && Files.isSymbolicLink(file)) {
      throw symlink(file);
    }
    if (Files.isDirectory(file)) {
      throw new StoreException(
          file.toAbsolutePath().normalize()
              + " is a directory, not a file; tokensink does not read it: move it aside");
    }
    // NOFOLLOW_LINKS closes the race with a link swapped in after the check above.
    Set<OpenOption> options =
        limits.allowSymlinks()
            ? Set.of(StandardOpenOption.READ)
            : Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    try (FileChannel ch = FileChannel.open(file, options)) {
      long size = ch.size();
      if (size > limits.maxFileBytes()) {
        throw tooLarge(file, size, limits.maxFileBytes());
      }
      ByteBuffer buf = ByteBuffer.allocate((int) size);
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // read to the end of the size seen at open
      }
      return Optional.of(buf.array());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      if (!limits.allowSymlinks() && Files.isSymbolicLink(file)) {
        throw symlink(file);
      }
      throw new StoreException(
          "cannot read "
              + file.toAbsolutePath().normalize()
              + " ("
              + (e instanceof java.nio.file.AccessDeniedException
                  ? "permission denied"
                  : e.getClass().getSimpleName())
              + "); check its owner and mode (0600)",
          e);
    }
  }

  static StoreException symlink(Path file) {
    return new StoreException(
        file.toAbsolutePath().normalize()
            + " is a symbolic link; tokensink neither reads"
            + " nor writes state files through links: replace it with a regular file (mode 0600), or set"
            + " tokensink.store.allow-symlinks=true");
  }

  static StoreException tooLarge(Path file, long size, long max) {
    return new StoreException.TooLarge(
        file.toAbsolutePath().normalize()
            + " is "
            + size
            + " bytes, more than"
            + " tokensink.store.max-file-size ("
            + max
            + " bytes); tokensink does not read it: run `tokensink doctor` for the command that"
            + " repairs it, or raise the bound",
        file.toAbsolutePath().normalize().toString());
  }
}
