package dev.tokensink.oauth;

/**
 * A login that did not succeed, with the CLI exit code it maps to: 2 for bad usage or bad input
 * (unknown provider, incomplete config, pasted text that is not an answer, state mismatch), 1 for a
 * failure the command reports (refused by the provider, token endpoint error, timeout). The message
 * is for people and never contains a secret.
 */
public final class LoginException extends Exception {
  private final int exitCode;

  private LoginException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public static LoginException badInput(String message) {
    return new LoginException(2, message, null);
  }

  public static LoginException failed(String message) {
    return new LoginException(1, message, null);
  }

  public static LoginException failed(String message, Throwable cause) {
    return new LoginException(1, message, cause);
  }

  public int exitCode() {
    return exitCode;
  }
}
