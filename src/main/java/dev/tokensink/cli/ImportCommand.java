package dev.tokensink.cli;

import dev.tokensink.openclaw.ImportOptions;
import dev.tokensink.openclaw.ImportResult;
import dev.tokensink.openclaw.OpenClawImport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code import openclaw --from DIR}: read-only import of an OpenClaw state dir (JSON or SQLite
 * layout).
 */
@Command(name = "import", description = "Import credentials from another program.")
final class ImportCommand {
  @picocli.CommandLine.Mixin Opts.Global global;

  @Command(
      name = "openclaw",
      description = "Copy profiles and routing state of an OpenClaw state dir (read-only on DIR).")
  static final class OpenClaw implements Callable<Integer> {
    @Mixin Opts.StateDir stateDir;

    @Option(
        names = "--from",
        required = true,
        paramLabel = "DIR",
        description = "the OpenClaw state dir, e.g. ~/.openclaw")
    Path from;

    @Option(names = "--agent", paramLabel = "A", description = "only this agent")
    String agent;

    @Option(names = "--dry-run", description = "report what would be imported; write nothing")
    boolean dryRun;

    @Option(
        names = "--overwrite",
        description = "replace existing tokensink profiles of the same id")
    boolean overwrite;

    @Option(names = "--json", description = "JSON report")
    boolean json;

    private final Cli cli;

    OpenClaw(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      var store = cli.store(stateDir.value);
      if (!dryRun) {
        store
            .writeRefusal()
            .ifPresent(
                r -> {
                  throw CliException.badInput(r);
                });
      }
      ImportResult result =
          new OpenClawImport()
              .run(
                  new ImportOptions(
                      from, agent != null ? agent : cli.globalAgent(), dryRun, overwrite),
                  store,
                  cli.env(),
                  cli.clock());
      if (json) {
        cli.out().println(result.json());
      } else if (result.report().error() != null) {
        cli.err()
            .print("tokensink: " + result.text()); // nothing could be read: an error, not a report
      } else {
        cli.out().println(result.text());
      }
      return result.exitCode();
    }
  }
}
