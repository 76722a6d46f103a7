package dev.tokensink.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenClaw's own config, {@code <stateDir>/openclaw.json} (JSON5), read-only (docs/rules.md §1).
 * Jackson's lenient features cover what OpenClaw users write (comments, trailing commas, unquoted
 * names, single quotes); {@code ${VAR}} in the values used is expanded from the environment as
 * OpenClaw does ({@code $${VAR}} stays literal; an unset variable stays as written and is
 * reported). Used by {@code serve} on an OpenClaw JSON state dir, whose {@code auth.order} counts
 * as configured order (docs/rules.md §3, tokensink's own configuration wins per provider), and by
 * the import.
 */
public final class OpenClawJson {
  public static final String FILE = "openclaw.json";

  /** The lenient JSON5 reader. */
  public static final ObjectMapper JSON5 =
      JsonMapper.builder()
          .enable(
              JsonReadFeature.ALLOW_JAVA_COMMENTS,
              JsonReadFeature.ALLOW_YAML_COMMENTS,
              JsonReadFeature.ALLOW_TRAILING_COMMA,
              JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
              JsonReadFeature.ALLOW_SINGLE_QUOTES,
              JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS,
              JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS,
              JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS,
              JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS,
              JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
          .build();

  /** At most this many bytes are read; a bigger file is reported and ignored. */
  static final long MAX_BYTES = 4L << 20;

  private static final Pattern VAR = Pattern.compile("\\$?\\$\\{([A-Z_][A-Z0-9_]*)\\}");

  /**
   * The configured order of an OpenClaw state dir.
   *
   * @param order provider → profile ids as written (after {@code ${VAR}} expansion)
   * @param warnings what could not be used, naming the file; never a secret
   */
  public record Order(Map<String, List<String>> order, List<String> warnings) {}

  private OpenClawJson() {}

  /**
   * {@code auth.order} of {@code <stateDir>/openclaw.json}; empty when there is no such file. A
   * file that does not parse is named with the position in a warning and ignored, so the other
   * order sources still work.
   */
  public static Order authOrder(Path stateDir, Map<String, String> env) {
    Path file = stateDir.resolve(FILE);
    List<String> warnings = new ArrayList<>();
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return new Order(Map.of(), warnings);
    }
    JsonNode root;
    try {
      if (Files.size(file) > MAX_BYTES) {
        warnings.add(file + " is larger than " + MAX_BYTES + " bytes; its auth.order is ignored");
        return new Order(Map.of(), warnings);
      }
      root = JSON5.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      warnings.add(
          file
              + " does not parse"
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + "; its auth.order is ignored");
      return new Order(Map.of(), warnings);
    } catch (IOException e) {
      warnings.add(
          file
              + " cannot be read ("
              + e.getClass().getSimpleName()
              + "); its auth.order is ignored");
      return new Order(Map.of(), warnings);
    }
    return new Order(authOrder(root, env, warnings), warnings);
  }

  /** {@code auth.order} of a parsed file: provider → ids (non-text entries skipped). */
  public static Map<String, List<String>> authOrder(
      JsonNode root, Map<String, String> env, List<String> warnings) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    JsonNode order = root == null ? null : root.path("auth").path("order");
    if (order == null || !order.isObject()) {
      return out;
    }
    order
        .properties()
        .forEach(
            e -> {
              List<String> ids = new ArrayList<>();
              if (e.getValue().isArray()) {
                e.getValue()
                    .forEach(
                        x -> {
                          if (x.isTextual()) {
                            ids.add(expand(x.asText(), env, warnings).trim());
                          }
                        });
              }
              out.put(e.getKey(), List.copyOf(ids));
            });
    return out;
  }

  /**
   * The configured order that routing uses: OpenClaw's {@code auth.order} with tokensink's own
   * {@code tokensink.auth.order} winning per provider (docs/rules.md §1, §3).
   */
  public static Map<String, List<String>> merged(
      Map<String, List<String>> openclaw, Map<String, List<String>> tokensink) {
    Map<String, List<String>> out = new LinkedHashMap<>(openclaw);
    tokensink.forEach(
        (provider, ids) -> {
          if (!ids.isEmpty()) {
            out.put(provider, List.copyOf(ids));
          }
        });
    return Map.copyOf(out);
  }

  /** {@code ${VAR}} expanded from {@code env}; unset variables stay and are reported once. */
  public static String expand(String s, Map<String, String> env, List<String> warnings) {
    Matcher m = VAR.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().startsWith("$$")) {
        replacement = m.group().substring(1);
      } else if (env.containsKey(m.group(1))) {
        replacement = env.get(m.group(1));
      } else {
        replacement = m.group();
        String w = FILE + " names ${" + m.group(1) + "}, which is not set";
        if (!warnings.contains(w)) {
          warnings.add(w);
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    return m.appendTail(out).toString();
  }
}
