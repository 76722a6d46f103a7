package dev.tokensink.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The CLI entry point: a plain {@code main} over the domain code, so a command never boots the
 * service or takes its ports. {@code bin/tokensink serve} starts the Quarkus service instead.
 */
@Command(
    name = "tokensink",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT, // --help / --version on every subcommand too
    versionProvider = Main.Version.class,
    description = "Credential broker for AI agents: one refresh owner per OAuth grant.",
    subcommands = {
      ServeCommand.class,
      AgentsCommand.class,
      ModelsCommand.class,
      ProfilesCommand.class,
      ImportCommand.class,
      DoctorCommand.class,
      StoreCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @picocli.CommandLine.Mixin Opts.Global global;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String... args) {
    System.exit(run(new Cli(System.in, System.out, System.err, System.getenv()), args));
  }

  /** Runs one command line against the given streams and environment; returns the exit code. */
  public static int run(Cli cli, String... args) {
    CommandLine cmd = new CommandLine(new Main(), new Cli.Factory(cli));
    cmd.setOut(cli.outWriter()).setErr(cli.errWriter());
    cmd.setExecutionExceptionHandler(new Errors(cli));
    cmd.setExitCodeExceptionMapper(Errors::exitCode);
    try {
      return cmd.execute(args);
    } finally {
      cli.close();
    }
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"tokensink " + (v == null ? "dev" : v)};
    }
  }
}
