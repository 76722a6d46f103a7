package dev.tokensink.security;

/** The configured callers cannot be used as they are; the message names the key to fix. */
public final class CallerConfigException extends IllegalStateException {
  public CallerConfigException(String message) {
    super(message);
  }
}
