package dev.tokensink.store;

/**
 * A stored file or row cannot be read or written: corrupt JSON (the message names the file and the
 * position), permissions, lock timeout. Never carries a secret.
 */
public class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The agent lock could not be taken in time (another writer holds it). */
  public static final class LockTimeout extends StoreException {
    public LockTimeout(String message) {
      super(message);
    }
  }

  /** A write was refused by design (e.g. a state dir that holds OpenClaw's SQLite files). */
  public static final class WriteRefused extends StoreException {
    public WriteRefused(String message) {
      super(message);
    }
  }
}
