package dev.tokensink.cli;

import picocli.CommandLine.Command;

/** {@code models auth …}: storing, ordering and removing credentials. */
@Command(name = "auth", description = "Log in, paste tokens, add keys, order profiles.")
final class AuthCommand {
  @picocli.CommandLine.Mixin Opts.Global global;
}
