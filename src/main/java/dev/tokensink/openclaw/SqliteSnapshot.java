package dev.tokensink.openclaw;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;

/**
 * A private, consistent copy of one OpenClaw database (main file plus {@code -wal}), opened with
 * {@code mode=ro}. SQLite never opens the source itself.
 *
 * <p>Why a copy: opening a WAL database in place, even with {@code mode=ro}, makes SQLite create
 * {@code -wal}/{@code -shm} when they are absent (and leave them: file modes do not stop root), and
 * a reader records read marks in an existing {@code -shm}; {@code readonly_shm=1} fails with
 * CANTOPEN instead and still creates an empty {@code -wal}. Reading the bytes cannot change the
 * source.
 *
 * <p>Consistency: both files are read, copied, then read again; the copy is used only if nothing
 * changed in between, so the pair is the state of one instant, and SQLite's WAL recovery on the
 * copy keeps exactly the committed transactions (an open write transaction of OpenClaw is not
 * seen). The {@code -shm} is not needed: the index is rebuilt from the WAL. A source that keeps
 * changing is retried a few times, then reported as locked by a writer.
 */
final class SqliteSnapshot implements AutoCloseable {
  /** Called between the copy and the re-read; tests use it to act as a concurrent writer. */
  interface Hook {
    void afterCopy(Path source) throws Exception;
  }

  static final Hook NO_HOOK = source -> {};

  private final Path dir;
  private final Connection connection;

  private SqliteSnapshot(Path dir, Connection connection) {
    this.dir = dir;
    this.connection = connection;
  }

  static SqliteSnapshot open(Path source, String label, int attempts, Hook hook) {
    Path dir = null;
    try {
      dir =
          Files.createTempDirectory(
              "tokensink-openclaw-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path copy = dir.resolve("copy.sqlite");
      copyStable(source, copy, label, Math.max(1, attempts), hook);
      SQLiteConfig config = new SQLiteConfig();
      config.setReadOnly(true);
      config.setBusyTimeout(2000);
      Connection c = config.createConnection("jdbc:sqlite:file:" + copy + "?mode=ro");
      return new SqliteSnapshot(dir, c);
    } catch (SQLException e) {
      deleteQuietly(dir);
      throw SqliteErrors.translate(e, label);
    } catch (IOException e) {
      deleteQuietly(dir);
      throw OpenClawImportException.badInput(
          label + " cannot be read: " + e.getClass().getSimpleName());
    } catch (RuntimeException e) {
      deleteQuietly(dir);
      throw e;
    }
  }

  Connection connection() {
    return connection;
  }

  private static void copyStable(Path source, Path copy, String label, int attempts, Hook hook)
      throws IOException {
    Path wal = sibling(source, "-wal");
    Path walCopy = sibling(copy, "-wal");
    for (int i = 0; i < attempts; i++) {
      byte[] db = Files.readAllBytes(source);
      byte[] log = Files.exists(wal) ? Files.readAllBytes(wal) : null;
      try {
        hook.afterCopy(source);
      } catch (Exception e) {
        throw new IOException("test hook failed", e);
      }
      // The db is re-read after the WAL: unchanged over both reads means one instant of both files.
      byte[] logAgain = Files.exists(wal) ? Files.readAllBytes(wal) : null;
      byte[] dbAgain = Files.readAllBytes(source);
      if (Arrays.equals(db, dbAgain) && Arrays.equals(log, logAgain)) {
        Files.write(copy, db);
        Files.deleteIfExists(walCopy);
        if (log != null) {
          Files.write(walCopy, log);
        }
        return;
      }
    }
    throw new OpenClawImportException(
        OpenClawImportException.Kind.BUSY,
        "database "
            + label
            + " is locked by a writer (it changed while being read, "
            + attempts
            + " attempts); stop OpenClaw or retry");
  }

  private static Path sibling(Path db, String suffix) {
    return db.resolveSibling(db.getFileName() + suffix);
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // a read-only connection on a private copy: nothing to lose
    }
    deleteQuietly(dir);
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temp dir in the system temp area; best effort
    }
  }
}
