package dev.tokensink.broker;

/**
 * A request the broker cannot serve, with the status of docs/api.md's table. The message says what
 * to do next and never contains a secret.
 */
public final class BrokerException extends RuntimeException {
  /** docs/api.md's status codes, independent of the transport. */
  public enum Code {
    INVALID_ARGUMENT,
    NOT_FOUND,
    UNAVAILABLE,
    FAILED_PRECONDITION,
    UNAUTHENTICATED,
    PERMISSION_DENIED,
    RESOURCE_EXHAUSTED,
    INTERNAL
  }

  private final Code code;

  public BrokerException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  public static BrokerException invalid(String message) {
    return new BrokerException(Code.INVALID_ARGUMENT, message);
  }

  public static BrokerException notFound(String message) {
    return new BrokerException(Code.NOT_FOUND, message);
  }
}
