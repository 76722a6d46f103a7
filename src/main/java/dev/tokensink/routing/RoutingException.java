package dev.tokensink.routing;

/**
 * Why no profile can serve a request. {@link Kind} maps one to one onto the gRPC status code of
 * docs/api.md; the message always says what to do next and never contains a secret.
 */
public final class RoutingException extends RuntimeException {

  /** The gRPC status a caller gets for this failure. */
  public enum Kind {
    INVALID_ARGUMENT,
    NOT_FOUND,
    UNAVAILABLE,
    FAILED_PRECONDITION
  }

  private final Kind kind;
  private final Long retryAtMs;

  public RoutingException(Kind kind, String message) {
    this(kind, message, null);
  }

  /**
   * @param retryAtMs for {@code UNAVAILABLE}: epoch ms when the soonest candidate is usable again
   */
  public RoutingException(Kind kind, String message, Long retryAtMs) {
    super(message, null, false, false);
    this.kind = kind;
    this.retryAtMs = retryAtMs;
  }

  public Kind kind() {
    return kind;
  }

  /** Epoch ms of the earliest retry for {@code UNAVAILABLE}; null otherwise. */
  public Long retryAtMs() {
    return retryAtMs;
  }
}
