package dev.tokensink.store;

import dev.tokensink.model.AgentSnapshot;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;

/**
 * One {@link CredentialStore.AgentTx} of the {@link FileStore}; used only by the thread holding the
 * agent lock. Writes auth-state.json before auth-profiles.json: a crash between the two leaves the
 * old profiles file, whose embedded state (old single-file layout) loses to the new state file on
 * read.
 */
final class FileTx implements CredentialStore.AgentTx {
  private final FileStore store;
  private final Path dir;
  private final Clock clock;
  private AgentSnapshot current;
  private byte[] profilesOnDisk;
  private byte[] stateOnDisk;
  private boolean dirty;
  private Path renameAside;

  FileTx(FileStore store, Path dir, FileStore.Disk disk, Clock clock) {
    this.store = store;
    this.dir = dir;
    this.clock = clock;
    this.current = disk.snapshot();
    this.profilesOnDisk = disk.profiles();
    this.stateOnDisk = disk.state();
  }

  boolean profilesMissing() {
    return profilesOnDisk == null;
  }

  void imported(LegacyImport.Result result) {
    current = result.snapshot();
    renameAside = result.renameAside();
    dirty = true;
  }

  @Override
  public AgentSnapshot current() {
    return current;
  }

  @Override
  public void write(AgentSnapshot next) {
    if (!next.agent().equals(current.agent())) {
      throw new IllegalArgumentException(
          "snapshot of agent " + next.agent() + " written to agent " + current.agent());
    }
    current = next;
    dirty = true;
  }

  @Override
  public void flush() {
    if (!dirty) {
      return;
    }
    try {
      if (stateOnDisk != null || !FileStore.emptyState(current)) {
        byte[] state = StoreJson.bytes(StoreJson.stateJson(current));
        if (!Arrays.equals(state, stateOnDisk)) {
          AtomicFiles.write(dir.resolve(FileStore.STATE_FILE), state);
          stateOnDisk = state;
        }
      }
      byte[] profiles = StoreJson.bytes(StoreJson.profilesJson(current));
      if (!Arrays.equals(profiles, profilesOnDisk)) {
        AtomicFiles.write(dir.resolve(FileStore.PROFILES_FILE), profiles);
        profilesOnDisk = profiles;
      }
      dirty = false;
      if (renameAside != null) {
        // Only after the imported profiles are durable: the legacy file is then never imported
        // twice.
        moveAside(renameAside);
        renameAside = null;
      }
    } catch (IOException e) {
      throw new StoreException(
          "cannot write the files of agent " + current.agent() + " in " + dir + ": " + e, e);
    }
  }

  private void moveAside(Path file) throws IOException {
    for (int i = 0; ; i++) {
      Path target =
          file.resolveSibling(
              file.getFileName() + ".imported-" + clock.millis() + (i == 0 ? "" : "-" + i));
      try {
        Files.move(
            file, target); // no REPLACE_EXISTING: fails rather than clobbering an earlier copy
        if (Files.getFileStore(target).supportsFileAttributeView("posix")) {
          // it holds secrets: no longer readable by others, whatever the legacy file's mode was
          Files.setPosixFilePermissions(
              target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
        AtomicFiles.syncDir(dir);
        return;
      } catch (FileAlreadyExistsException taken) {
        if (i > 100) {
          throw taken;
        }
      }
    }
  }
}
