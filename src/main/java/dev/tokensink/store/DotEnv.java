package dev.tokensink.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses a {@code .env} file: {@code KEY=value} lines, {@code #} comments, optional {@code export }
 * prefix, one pair of surrounding single or double quotes stripped. Lines that do not fit are
 * ignored. Later lines win. Reads at most {@link #MAX_BYTES}.
 */
public final class DotEnv {
  static final int MAX_BYTES = 1 << 20;

  private DotEnv() {}

  /** The variables of {@code file}; empty when it does not exist or cannot be read. */
  public static Map<String, String> read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (IOException e) {
      return Map.of();
    }
  }

  public static Map<String, String> parse(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String raw : text.split("\r?\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = line.substring(0, eq).strip();
      if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        continue;
      }
      out.put(key, unquote(line.substring(eq + 1).strip()));
    }
    return out;
  }

  private static String unquote(String v) {
    if (v.length() >= 2
        && (v.charAt(0) == '"' || v.charAt(0) == '\'')
        && v.charAt(v.length() - 1) == v.charAt(0)) {
      return v.substring(1, v.length() - 1);
    }
    int comment = v.indexOf(" #");
    return comment >= 0 ? v.substring(0, comment).strip() : v;
  }
}
