package dev.tokensink.openclaw;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokensink.config.OpenClawJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the import needs from {@code openclaw.json}: {@code auth.order} (configured order), the
 * agent ids it declares, and file paths of {@code secrets.providers}. The file is JSON5; Jackson's
 * lenient features cover what OpenClaw users write (comments, trailing commas, unquoted names,
 * single quotes). The values used (auth.order ids, secrets paths) get {@code ${VAR}} expanded from
 * the given environment as OpenClaw does ({@code $${VAR}} stays literal); an unset variable is left
 * as written and reported.
 */
final class OpenClawConfig {
  private static final ObjectMapper JSON5 = OpenClawJson.JSON5;

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
    return OpenClawJson.authOrder(root, env, warnings);
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
    return OpenClawJson.expand(s, env, warnings);
  }
}
