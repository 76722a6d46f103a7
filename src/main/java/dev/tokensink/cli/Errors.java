package dev.tokensink.cli;

import dev.tokensink.model.InvalidIdException;
import dev.tokensink.store.StoreException;
import picocli.CommandLine;

/**
 * Maps exceptions to the exit codes of docs/api.md: 2 bad usage or bad input, 1 a failure the
 * command reports. Prints only the exception's message: messages are written never to carry a
 * secret.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {
  private final Cli cli;

  Errors(Cli cli) {
    this.cli = cli;
  }

  static int exitCode(Throwable e) {
    if (e instanceof CliException c) {
      return c.exitCode();
    }
    if (e instanceof CommandLine.ParameterException // bad usage: unknown option, missing parameter
        || e instanceof InvalidIdException
        || e instanceof StoreException.WriteRefused
        || e instanceof IllegalArgumentException) {
      return 2;
    }
    return 1;
  }

  @Override
  public int handleExecutionException(
      Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    cli.err().println("tokensink: " + msg);
    return exitCode(e);
  }
}
