package dev.tokensink.cli;

import picocli.CommandLine.Command;

/** {@code models …}: credentials for model providers and their status. */
@Command(name = "models", description = "Model provider credentials.")
final class ModelsCommand {
  @picocli.CommandLine.Mixin Opts.Global global;
}
