package dev.tokensink.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.config.Settings;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Symlinked and oversized state files: refused, never read or written through. */
class StateFileLimitsTest {
  private static final AgentId MAIN = AgentId.of("main");
  private static final Path PASSWD = Path.of("/etc/passwd");

  @TempDir Path dir;

  private FileStore store(long maxBytes, boolean symlinks) {
    return new FileStore(
        FileStoreSettings.of(dir).withFileLimits(maxBytes, symlinks), Clock.systemUTC());
  }

  private Path agentDir() throws Exception {
    return Files.createDirectories(dir.resolve("agents/main/agent"));
  }

  @Test
  void profilesFileReplacedBySymlinkToEtcPasswd_clearError_nothingReadOrWrittenThroughIt()
      throws Exception {
    Path link = Files.createSymbolicLink(agentDir().resolve("auth-profiles.json"), PASSWD);
    byte[] passwd = Files.readAllBytes(PASSWD);
    FileTime modified = Files.getLastModifiedTime(PASSWD);
    FileStore store = store(Settings.Store.DEFAULT_MAX_FILE_BYTES, false);

    StoreException read = assertThrows(StoreException.class, () -> store.read(MAIN));
    assertTrue(read.getMessage().startsWith(link + " is a symbolic link"), read.getMessage());
    assertTrue(read.getMessage().contains("tokensink.store.allow-symlinks"), read.getMessage());
    assertFalse(read.getMessage().contains("root:"), "nothing of the target in the message");
    StoreException write =
        assertThrows(
            StoreException.class,
            () ->
                store.update(
                    MAIN,
                    tx -> {
                      tx.write(tx.current());
                      return null;
                    }));
    assertTrue(write.getMessage().contains("is a symbolic link"), write.getMessage());

    assertTrue(Files.isSymbolicLink(link));
    assertEquals(PASSWD, Files.readSymbolicLink(link));
    assertArrayEquals(passwd, Files.readAllBytes(PASSWD));
    assertEquals(modified, Files.getLastModifiedTime(PASSWD));
    try (Stream<Path> files = Files.list(link.getParent())) {
      assertEquals(
          List.of("auth-profiles.json", "auth-profiles.json.lock"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void legacyFilesReplacedBySymlinks_refusedLikeStateFiles_andLeftInPlace() throws Exception {
    Path flat = Files.createSymbolicLink(agentDir().resolve("auth.json"), PASSWD);
    FileStore store = store(Settings.Store.DEFAULT_MAX_FILE_BYTES, false);
    StoreException e = assertThrows(StoreException.class, () -> store.read(MAIN));
    assertTrue(e.getMessage().startsWith(flat + " is a symbolic link"), e.getMessage());
    assertTrue(Files.isSymbolicLink(flat), "not renamed aside");
    Files.delete(flat);
    Path oauth =
        Files.createSymbolicLink(
            Files.createDirectories(dir.resolve("credentials")).resolve("oauth.json"), PASSWD);
    e = assertThrows(StoreException.class, () -> store.read(MAIN));
    assertTrue(e.getMessage().startsWith(oauth + " is a symbolic link"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("agents/main/agent/auth-profiles.json")));
  }

  @Test
  void stateFileSymlink_refusedToo_butFollowedWhenConfigured() throws Exception {
    Path real = dir.resolve("elsewhere.json");
    Files.writeString(
        real,
        "{\"version\":1,\"profiles\":{\"anthropic:x\":{\"type\":\"api_key\",\"provider\":\"anthropic\","
            + "\"key\":\"sk-ant-api03-symlinked-key-000000\"}}}");
    Files.createSymbolicLink(agentDir().resolve("auth-profiles.json"), real);
    assertThrows(
        StoreException.class, () -> store(Settings.Store.DEFAULT_MAX_FILE_BYTES, false).read(MAIN));
    AgentSnapshot s = store(Settings.Store.DEFAULT_MAX_FILE_BYTES, true).read(MAIN).orElseThrow();
    assertEquals(1, s.profiles().size());
  }

  @Test
  void fileLargerThanTheBound_refusedBeforeReading_andNotOverwritten() throws Exception {
    Path f = agentDir().resolve("auth-profiles.json");
    String json = "{\"version\":1,\"profiles\":{},\"pad\":\"" + "x".repeat(2000) + "\"}";
    Files.writeString(f, json);
    FileStore small = store(1024, false);
    StoreException e = assertThrows(StoreException.class, () -> small.read(MAIN));
    assertTrue(
        e.getMessage()
            .contains(
                "is "
                    + json.length()
                    + " bytes, more than tokensink.store.max-file-size (1024 bytes)"),
        e.getMessage());
    assertThrows(
        StoreException.class,
        () ->
            small.update(
                MAIN,
                tx -> {
                  tx.write(tx.current());
                  return null;
                }));
    assertEquals(json, Files.readString(f));
    assertEquals(0, store(4096, false).read(MAIN).orElseThrow().profiles().size());
  }

  @Test
  void lockFileReplacedBySymlink_refused_targetUntouched() throws Exception {
    Path target = dir.resolve("victim.txt");
    Files.writeString(target, "keep me");
    Files.createSymbolicLink(agentDir().resolve("auth-profiles.json.lock"), target);
    assertThrows(
        StoreException.class,
        () -> store(Settings.Store.DEFAULT_MAX_FILE_BYTES, false).update(MAIN, tx -> null));
    assertEquals("keep me", Files.readString(target));
  }
}
