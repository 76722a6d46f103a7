package dev.tokensink.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code serve} runs the gRPC service. {@code bin/tokensink serve} starts the packaged Quarkus
 * application (see {@code dev.tokensink.ServeMain}); this class documents the options and answers
 * when the plain CLI entry point is called with {@code serve} directly.
 */
@Command(
    name = "serve",
    description = "Run the gRPC service (health and metrics on the HTTP port).")
final class ServeCommand implements Runnable {
  @Mixin Opts.StateDir stateDir;

  @Option(
      names = "--insecure",
      description = "Allow a non-loopback address without caller authentication.")
  boolean insecure;

  @Option(
      names = "--allow-insecure-state-dir",
      description =
          "Serve from a state dir other users can read (refused by default; docs/security.md).")
  boolean allowInsecureStateDir;

  private final Cli cli;

  ServeCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public void run() {
    throw CliException.badInput(
        "serve runs inside the packaged service: start it with bin/tokensink serve (or java -jar target/quarkus-app/quarkus-run.jar serve)");
  }
}
