package dev.tokensink.openclaw;

/**
 * The OpenClaw source cannot be read: a missing or unreadable dir, a file that is not a database, a
 * schema newer than this version understands, a blob that does not parse (all {@link
 * Kind#BAD_INPUT}, exit 2), or a database that kept changing under a running OpenClaw ({@link
 * Kind#BUSY}, exit 1). Messages name the source file and, where there is one, the profile; they
 * never carry a secret.
 */
public final class OpenClawImportException extends RuntimeException {
  /** Why the source could not be read. */
  public enum Kind {
    BAD_INPUT(2),
    BUSY(1);

    private final int exitCode;

    Kind(int exitCode) {
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  private final Kind kind;

  public OpenClawImportException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public static OpenClawImportException badInput(String message) {
    return new OpenClawImportException(Kind.BAD_INPUT, message);
  }

  public Kind kind() {
    return kind;
  }
}
