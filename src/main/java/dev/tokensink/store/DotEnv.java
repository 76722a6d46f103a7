package dev.tokensink.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a {@code .env} file: {@code KEY=value} lines, {@code #} comments, optional {@code export }
 * prefix, one pair of surrounding single or double quotes stripped. Lines that do not fit are
 * ignored and reported by number ({@link #readParsed}). Later lines win. Reads at most {@link
 * #MAX_BYTES}.
 */
public final class DotEnv {
  static final int MAX_BYTES = 1 << 20;

  private DotEnv() {}

  /**
   * The variables of a {@code .env} file and the lines that were skipped (by number, never by
   * content: a malformed line may hold a secret).
   */
  public record Parsed(Map<String, String> vars, List<String> problems) {}

  /** The variables of {@code file}; empty when it does not exist or cannot be read. */
  public static Map<String, String> read(Path file) {
    return readParsed(file).vars();
  }

  /** {@link #read} with the problems found (an unreadable file, lines that are not KEY=value). */
  public static Parsed readParsed(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return parseWithProblems(new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return new Parsed(Map.of(), List.of());
    } catch (IOException e) {
      return new Parsed(
          Map.of(), List.of(".env cannot be read (" + e.getClass().getSimpleName() + ")"));
    }
  }

  public static Map<String, String> parse(String text) {
    return parseWithProblems(text).vars();
  }

  static Parsed parseWithProblems(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    String[] lines = text.split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int eq = line.indexOf('=');
      String key = eq <= 0 ? "" : line.substring(0, eq).strip();
      if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        problems.add(".env line " + (i + 1) + " is not KEY=value; it is ignored");
        continue;
      }
      out.put(key, unquote(line.substring(eq + 1).strip()));
    }
    return new Parsed(out, List.copyOf(problems));
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
