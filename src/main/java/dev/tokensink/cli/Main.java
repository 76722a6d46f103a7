package dev.tokensink.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
    description = "Credential broker for AI agents: one refresh owner per OAuth grant.")
public final class Main implements Runnable {
  @picocli.CommandLine.Mixin Opts.Global global;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String... args) {
    System.exit(run(new Cli(System.in, System.out, System.err, System.getenv()), args));
  }

  /**
   * The command tree: each command's subcommands, in the order help lists them. It lives here and
   * not in the {@code @Command(subcommands = …)} attributes, because picocli builds the model of
   * every annotated subcommand eagerly (reflection over all options of every command) and that was
   * most of a CLI run's start-up: {@link #tree} builds only the path the arguments name.
   */
  static final Map<Class<?>, List<Class<?>>> TREE =
      Map.of(
          Main.class,
          List.of(
              ServeCommand.class,
              AgentsCommand.class,
              ModelsCommand.class,
              ProfilesCommand.class,
              ImportCommand.class,
              DoctorCommand.class,
              StoreCommand.class,
              SecretsCommand.class,
              CommandLine.HelpCommand.class),
          AgentsCommand.class,
          List.of(AgentsCommand.Add.class, AgentsCommand.ListAgents.class),
          ModelsCommand.class,
          List.of(AuthCommand.class, StatusCommand.class),
          AuthCommand.class,
          List.of(
              SecretCommands.PasteToken.class,
              SecretCommands.SetupToken.class,
              SecretCommands.AddKey.class,
              LoginCommand.class,
              LogoutCommand.class,
              OrderCommand.class),
          OrderCommand.class,
          List.of(OrderCommand.Get.class, OrderCommand.Set.class, OrderCommand.Clear.class),
          ProfilesCommand.class,
          List.of(ProfilesCommand.ListProfiles.class),
          ImportCommand.class,
          List.of(ImportCommand.OpenClaw.class),
          StoreCommand.class,
          List.of(StoreCommand.Import.class, StoreCommand.Export.class),
          SecretsCommand.class,
          List.of(SecretsCommand.Resolve.class));

  /** Runs one command line against the given streams and environment; returns the exit code. */
  public static int run(Cli cli, String... args) {
    CommandLine cmd = tree(new Cli.Factory(cli), args);
    // set after the tree is complete: picocli applies these to the subcommands present now
    cmd.setOut(cli.outWriter()).setErr(cli.errWriter());
    cmd.setExecutionExceptionHandler(new Errors(cli));
    cmd.setExitCodeExceptionMapper(Errors::exitCode);
    try {
      return cmd.execute(args);
    } finally {
      cli.close();
    }
  }

  /**
   * The command line for {@code args}: at each level, when the next word names a subcommand only
   * that one is built (and so on down), else all of them with their whole subtrees — what help, a
   * missing or a mistyped subcommand (with its suggestions) need. Either way picocli parses {@code
   * args} exactly as with the full tree, since the words it would match are the ones present.
   */
  static CommandLine tree(CommandLine.IFactory factory, String... args) {
    CommandLine root = new CommandLine(new Main(), factory);
    attach(root, Main.class, factory, args, 0);
    return root;
  }

  private static void attach(
      CommandLine parent, Class<?> type, CommandLine.IFactory factory, String[] args, int from) {
    List<Class<?>> children = TREE.get(type);
    if (children == null) {
      return;
    }
    // commands with subcommands take no options with values but --state-dir and --agent
    // (Opts.Global),
    // so the next other non-option word is the subcommand's name (or a mistake)
    int i = from;
    while (i < args.length && args[i].startsWith("-")) {
      i += args[i].equals("--state-dir") || args[i].equals("--agent") ? 2 : 1;
    }
    Class<?> named = i < args.length ? named(children, args[i]) : null;
    if (named != null && named != CommandLine.HelpCommand.class) {
      CommandLine sub = new CommandLine(named, factory);
      parent.addSubcommand(sub);
      attach(sub, named, factory, args, i + 1);
      return;
    }
    for (Class<?> c : children) {
      CommandLine sub = new CommandLine(c, factory);
      parent.addSubcommand(sub);
      attach(sub, c, factory, new String[0], 0);
    }
  }

  private static Class<?> named(List<Class<?>> children, String word) {
    for (Class<?> c : children) {
      Command a = c.getAnnotation(Command.class);
      if (a.name().equals(word) || Arrays.asList(a.aliases()).contains(word)) {
        return c;
      }
    }
    return null;
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
