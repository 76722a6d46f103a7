package dev.tokensink.cli;

import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import dev.tokensink.store.pg.StoreTransfer;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code store import|export}: copy every agent between a file store (or an OpenClaw JSON state
 * dir) and the configured store (PostgreSQL for several replicas). Idempotent.
 */
@Command(
    name = "store",
    description = "Copy credentials between a file store and the configured store.")
final class StoreCommand {
  @picocli.CommandLine.Mixin Opts.Global global;

  @Command(
      name = "import",
      description = "Copy a file store (or an OpenClaw JSON state dir) into the configured store.")
  static final class Import implements Runnable {
    @Mixin Opts.StateDir stateDir;

    @Option(names = "--from-state-dir", required = true, paramLabel = "DIR")
    Path from;

    private final Cli cli;

    Import(Cli cli) {
      this.cli = cli;
    }

    @Override
    public void run() {
      if (!Files.isDirectory(from)) {
        throw CliException.badInput(from + " is not a directory");
      }
      try (FileStore source =
          new FileStore(FileStoreSettings.of(from.toAbsolutePath()), cli.clock())) {
        source
            .writeRefusal()
            .ifPresent(
                r -> {
                  throw CliException.badInput(
                      from
                          + " holds OpenClaw's SQLite store; use `tokensink import openclaw --from "
                          + from
                          + "`");
                });
        CredentialStore target = cli.store(stateDir.value);
        var result = StoreTransfer.copy(source, target);
        cli.out()
            .println(
                "copied "
                    + result.copied().size()
                    + " agent(s) "
                    + result.copied()
                    + ", unchanged "
                    + result.unchanged().size()
                    + " "
                    + result.unchanged());
      }
    }
  }

  @Command(name = "export", description = "Copy the configured store into a file store (a backup).")
  static final class Export implements Runnable {
    @Mixin Opts.StateDir stateDir;

    @Option(names = "--to-state-dir", required = true, paramLabel = "DIR")
    Path to;

    @Option(
        names = "--plaintext",
        description = "confirm that the file store keeps secrets as plaintext in 0600 files")
    boolean plaintext;

    private final Cli cli;

    Export(Cli cli) {
      this.cli = cli;
    }

    @Override
    public void run() {
      if (!plaintext) {
        throw CliException.badInput(
            "a file store keeps secrets as plaintext (files of mode 0600); "
                + "pass --plaintext to export anyway, or back up the PostgreSQL database itself (secrets stay encrypted there)");
      }
      CredentialStore source = cli.store(stateDir.value);
      try (FileStore target =
          new FileStore(FileStoreSettings.of(to.toAbsolutePath()), cli.clock())) {
        var result = StoreTransfer.copy(source, target);
        cli.out()
            .println(
                "exported "
                    + result.copied().size()
                    + " agent(s) to "
                    + to
                    + ", unchanged "
                    + result.unchanged().size());
      }
    }
  }
}
