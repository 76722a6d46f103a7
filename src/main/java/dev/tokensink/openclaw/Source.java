package dev.tokensink.openclaw;

import java.nio.file.Path;
import java.util.List;

/**
 * An OpenClaw state dir as read: the shared base (SQLite layout only; null otherwise, or when it
 * failed to read: then {@code sharedError} is set and every agent fails with it) and each agent's
 * own store (or the error that stopped reading it).
 */
record Source(
    Path dir,
    OpenClawLayout layout,
    RawStore shared,
    OpenClawImportException sharedError,
    List<Agent> agents,
    OpenClawConfig config,
    List<String> notes) {

  /** One agent's own store; {@code error} set when it could not be read. */
  record Agent(String id, RawStore own, OpenClawImportException error) {}
}
