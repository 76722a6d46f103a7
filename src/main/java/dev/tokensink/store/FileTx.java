package dev.tokensink.store;

import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Profile;
import dev.tokensink.model.Secret;
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
  private final AgentSnapshot loaded;
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
    this.loaded = disk.snapshot();
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
    checkSecrets();
    try {
      byte[] state = null;
      if (stateOnDisk != null || !FileStore.emptyState(current)) {
        state = StoreJson.bytes(StoreJson.stateJson(current));
        checkSize(FileStore.STATE_FILE, state);
      }
      byte[] profiles = StoreJson.bytes(StoreJson.profilesJson(current));
      checkSize(FileStore.PROFILES_FILE, profiles);
      // both files are checked before either is written: nothing is written that cannot be read
      if (state != null && !Arrays.equals(state, stateOnDisk)) {
        AtomicFiles.write(dir.resolve(FileStore.STATE_FILE), state);
        stateOnDisk = state;
      }
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

  /** A new or changed profile's secret must fit {@link Secret#MAX_BYTES}. */
  private void checkSecrets() {
    for (Profile p : current.profiles().values()) {
      if (p.equals(loaded.profile(p.id()))) {
        continue; // stored before: a write of something else must not fail on it
      }
      Secret refresh =
          p.credential() instanceof dev.tokensink.model.Credential.OAuth o ? o.refresh() : null;
      for (Secret s : java.util.Arrays.asList(p.credential().secret(), refresh)) {
        if (s != null && s.bytes() > Secret.MAX_BYTES) {
          throw new StoreException(
              "the secret of "
                  + p.id()
                  + " is "
                  + s.bytes()
                  + " bytes, more than the "
                  + Secret.MAX_BYTES
                  + " bytes a secret may have; nothing was written");
        }
      }
    }
  }

  private void checkSize(String file, byte[] content) {
    long max = store.settings().maxFileBytes();
    if (content.length > max) {
      throw new StoreException(
          "agent "
              + current.agent()
              + ": "
              + file
              + " would be "
              + content.length
              + " bytes, more than tokensink.store.max-file-size ("
              + max
              + " bytes); nothing was written");
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
