package dev.tokensink.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.SecretRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretRefsTest {
  @TempDir Path tmp;

  SecretRefs.Resolution resolve(String source, String provider, String id) {
    return SecretRefs.resolve(new SecretRef(source, provider, id), Map.of("MY_KEY", "sk-env"), tmp);
  }

  @Test
  void env_resolvesOrNamesTheMissingVariable() {
    assertEquals("sk-env", resolve("env", "default", "MY_KEY").secret().reveal());
    SecretRefs.Resolution missing = resolve("env", "default", "NOPE");
    assertFalse(missing.resolved());
    assertTrue(missing.unresolvedReason().contains("NOPE is not set"), missing.unresolvedReason());
  }

  @Test
  void file_jsonPointerOrWholeFile() throws IOException {
    Files.writeString(
        tmp.resolve("secrets.json"), "{\"providers\":{\"openai\":{\"apiKey\":\"sk-file\"}}}");
    Files.writeString(tmp.resolve("token"), "mounted-token\n");
    assertEquals(
        "sk-file", resolve("file", "secrets.json", "/providers/openai/apiKey").secret().reveal());
    assertEquals(
        "mounted-token", resolve("file", tmp.resolve("token").toString(), null).secret().reveal());
    SecretRefs.Resolution notFound = resolve("file", "secrets.json", "/providers/anthropic/apiKey");
    assertTrue(notFound.unresolvedReason().contains("not found"), notFound.unresolvedReason());
    assertFalse(notFound.unresolvedReason().contains("sk-file"));
  }

  @Test
  void file_missingTooLargeOrWithDotDot_isRefusedWithReason() throws IOException {
    assertTrue(resolve("file", "absent.json", "/x").unresolvedReason().contains("does not exist"));
    assertTrue(resolve("file", "../outside.json", "/x").unresolvedReason().contains("'..'"));
    Files.write(tmp.resolve("big"), new byte[SecretRefs.MAX_FILE_BYTES + 1]);
    assertTrue(resolve("file", "big", null).unresolvedReason().contains("larger than"));
  }

  @Test
  void execAndStore_areNeverResolved() {
    assertFalse(resolve("exec", "default", "op read x").resolved());
    assertTrue(resolve("store", "default", "x").unresolvedReason().contains("not supported"));
  }
}
