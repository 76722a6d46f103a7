package dev.tokensink.model;

/** A malformed agent, provider or profile id (gRPC INVALID_ARGUMENT, CLI exit 2). */
public final class InvalidIdException extends IllegalArgumentException {
  public InvalidIdException(String message) {
    super(message);
  }
}
