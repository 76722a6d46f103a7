package dev.tokensink.openclaw;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the import needs from {@code openclaw.json}: {@code auth.order} (configured order), the
 * agent ids it declares, and file paths of {@code secrets.providers}. The file is JSON5; Jackson's
 * lenient features cover what OpenClaw users write (comments, trailing commas, unquoted names,
 * single quotes). The values used (auth.order ids, secrets paths) get {@code ${VAR}} expanded from
 * the given environment as OpenClaw does ({@code $${VAR}} stays literal); an unset variable is left
 * as written and reported.
 */
final class OpenClawConfig {
  private static final ObjectMapper JSON5 =
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
  private static final Pattern VAR = Pattern.compile("\\$?\\$\\{([A-Z_][A-Z0-9_]*)\\}");

  private final JsonNode root;
  private final Map<String, String> env;
  private final List<String> warnings;

  private OpenClawConfig(JsonNode root, Map<String, String> env, List<String> warnings) {
    this.root = root;
    this.env = env;
    this.warnings = warnings;
  }

  static OpenClawConfig read(Path stateDir, Map<String, String> env) {
    Path file = stateDir.resolve("openclaw.json");
    List<String> warnings = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return new OpenClawConfig(JSON5.createObjectNode(), env, warnings);
    }
    try {
      JsonNode root = JSON5.readTree(Files.readAllBytes(file));
      return new OpenClawConfig(root == null ? JSON5.createObjectNode() : root, env, warnings);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      warnings.add(
          "openclaw.json does not parse"
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + "; its auth.order is not imported");
    } catch (IOException e) {
      warnings.add(
          "openclaw.json cannot be read ("
              + e.getClass().getSimpleName()
              + "); its auth.order is not imported");
    }
    return new OpenClawConfig(JSON5.createObjectNode(), env, warnings);
  }

  List<String> warnings() {
    return warnings;
  }

  /** {@code auth.order}: provider → profile ids, as configured. */
  Map<String, List<String>> authOrder() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    JsonNode order = root.path("auth").path("order");
    order
        .properties()
        .forEach(
            e -> {
              List<String> ids = new ArrayList<>();
              e.getValue().forEach(x -> ids.add(expand(x.asText(), env, warnings)));
              out.put(e.getKey(), ids);
            });
    return out;
  }

  /** Agent ids named in {@code agents.entries} or {@code agents.list[].id}. */
  Set<String> agentIds() {
    Set<String> out = new LinkedHashSet<>();
    root.path("agents").path("entries").fieldNames().forEachRemaining(out::add);
    root.path("agents")
        .path("list")
        .forEach(
            a -> {
              if (a.path("id").isTextual()) {
                out.add(a.path("id").asText());
              }
            });
    return out;
  }

  /** The {@code path} of a file secrets provider {@code secrets.providers.<name>}, or null. */
  String secretsFilePath(String provider) {
    JsonNode p = root.path("secrets").path("providers").path(provider == null ? "" : provider);
    return p.path("path").isTextual() ? expand(p.path("path").asText(), env, warnings) : null;
  }

  static String expand(String s, Map<String, String> env, List<String> warnings) {
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
        if (!warnings.contains("openclaw.json names ${" + m.group(1) + "}, which is not set")) {
          warnings.add("openclaw.json names ${" + m.group(1) + "}, which is not set");
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    return m.appendTail(out).toString();
  }
}
