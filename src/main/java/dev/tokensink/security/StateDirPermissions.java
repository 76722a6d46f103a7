package dev.tokensink.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the parts of a state dir that other users could read or change: the dir itself and whatever
 * lies below it (agent dirs, credential files, .env, config.yaml). tokensink writes 0700 dirs and
 * 0600 files; anything more open was made by hand or by another tool.
 */
public final class StateDirPermissions {
  private static final Set<PosixFilePermission> OPEN =
      EnumSet.of(
          PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

  private StateDirPermissions() {}

  /**
   * Each exposed path with its mode, e.g. {@code /x/agents (rwxr-xr-x)}; empty when none or not
   * POSIX.
   */
  public static List<String> exposed(Path stateDir) {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(stateDir)
        || !stateDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return out;
    }
    try (Stream<Path> paths = Files.walk(stateDir, 4)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        if (Files.isSymbolicLink(p)) {
          continue; // the file store refuses symlinked state files on its own
        }
        Set<PosixFilePermission> perms =
            Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        if (perms.stream().anyMatch(OPEN::contains)) {
          out.add(p + " (" + PosixFilePermissions.toString(perms) + ")");
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      out.add(stateDir + " (cannot be checked: " + e.getMessage() + ")");
    }
    return out;
  }
}
