package dev.tokensink.store;

/**
 * A stored file or row cannot be read or written: corrupt JSON (the message names the file and the
 * position), permissions, lock timeout. Never carries a secret.
 */
public class StoreException extends RuntimeException {
  private String forCaller; // set once, before the exception leaves the store

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The problem in words a remote caller may read: names the agent and the reason, with file names
   * relative to the state dir (no server path). Falls back to the message.
   */
  public String forCaller() {
    return forCaller != null ? forCaller : getMessage();
  }

  /** Sets {@link #forCaller()} unless already set; returns this exception. */
  public StoreException withCallerMessage(String message) {
    if (forCaller == null) {
      forCaller = message;
    }
    return this;
  }

  /** The agent lock could not be taken in time (another writer holds it). */
  public static final class LockTimeout extends StoreException {
    public LockTimeout(String message) {
      super(message);
    }
  }

  /** A state file is larger than {@code tokensink.store.max-file-size}; it was not read. */
  public static final class TooLarge extends StoreException {
    private final String file;

    public TooLarge(String message, String file) {
      super(message);
      this.file = file;
    }

    /** The file's absolute path. */
    public String file() {
      return file;
    }
  }

  /** A write was refused by design (e.g. a state dir that holds OpenClaw's SQLite files). */
  public static final class WriteRefused extends StoreException {
    public WriteRefused(String message) {
      super(message);
    }
  }

  /**
   * A stored file does not parse. It is never overwritten; updates of that agent fail until a
   * person fixes or removes it. The message names the file and the position, never the content.
   */
  public static final class Corrupt extends StoreException {
    private final String file;
    private final int line;
    private final int column;
    private final String what;

    public Corrupt(String file, int line, int column, String what) {
      super(
          file
              + " "
              + what
              + (line > 0 ? " at line " + line + ", column " + column : "")
              + "; fix or move the file aside (tokensink never overwrites it)");
      this.file = file;
      this.line = line;
      this.column = column;
      this.what = what;
    }

    /** The same problem, reported for a fuller file name. */
    public Corrupt withFile(String fullName) {
      return new Corrupt(fullName, line, column, what);
    }

    public String file() {
      return file;
    }

    public int line() {
      return line;
    }

    public int column() {
      return column;
    }
  }
}
