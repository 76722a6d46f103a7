package dev.tokensink.cli;

/** A failure a command reports with its own exit code (1 failure, 2 bad input). */
final class CliException extends RuntimeException {
  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  static CliException badInput(String message) {
    return new CliException(2, message);
  }

  static CliException failed(String message) {
    return new CliException(1, message);
  }

  int exitCode() {
    return exitCode;
  }
}
