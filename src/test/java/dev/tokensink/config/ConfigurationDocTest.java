package dev.tokensink.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigMappings.ConfigClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md and the {@link Settings} mapping list the same {@code tokensink.*} keys
 * with the same defaults, and the {@code ${tokensink.key:default}} expressions of
 * application.properties and the sources repeat the mapping's default, so none of them can drift.
 */
class ConfigurationDocTest {
  private static final String NONE = "—";
  private static final Pattern ROW = Pattern.compile("^\\| `(tokensink\\.[^`]+)` \\| ([^|]*) \\|");
  private static final Pattern EXPR = Pattern.compile("\\$\\{(tokensink\\.[a-z0-9.-]+):([^}]*)}");

  /** Key (map keys as {@code *}) to default, or {@link #NONE}. */
  static Map<String, String> mappingKeys() {
    Map<String, String> out = new TreeMap<>();
    ConfigMappings.getProperties(ConfigClass.configClass(Settings.class, "tokensink"))
        .forEach(
            (key, p) ->
                out.put(key.replace("[*]", ""), p.hasDefaultValue() ? p.getDefaultValue() : NONE));
    return out;
  }

  static Map<String, String> documentedKeys() throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String line : Files.readAllLines(Path.of("docs/configuration.md"))) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        String key = m.group(1).replaceAll("<[^>]+>", "*");
        String cell = m.group(2).trim();
        String dflt = cell.startsWith("`") ? cell.substring(1, cell.indexOf('`', 1)) : NONE;
        assertEquals(null, out.put(key, dflt), key + " is documented twice");
      }
    }
    return out;
  }

  @Test
  void everyMappedKey_isDocumented_withItsDefault_andNothingElse() throws IOException {
    Map<String, String> mapped = mappingKeys();
    Map<String, String> documented = documentedKeys();
    assertEquals(
        mapped.keySet(),
        documented.keySet(),
        "keys of dev.tokensink.config.Settings vs rows of docs/configuration.md");
    mapped.forEach(
        (key, dflt) ->
            assertEquals(dflt, documented.get(key), key + ": default in docs/configuration.md"));
  }

  @Test
  void defaultsRepeatedInExpressions_matchTheMapping() throws IOException {
    Map<String, String> mapped = mappingKeys();
    int seen = 0;
    try (Stream<Path> files =
        Stream.concat(
            Stream.of(Path.of("src/main/resources/application.properties")),
            Files.walk(Path.of("src/main/java")).filter(f -> f.toString().endsWith(".java")))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Matcher m = EXPR.matcher(Files.readString(f));
        while (m.find()) {
          if (mapped.containsKey(m.group(1))) {
            assertEquals(mapped.get(m.group(1)), m.group(2), f + ": default of " + m.group(1));
            seen++;
          }
        }
      }
    }
    assertTrue(seen >= 5, "grpc and http host and port, jobs interval: " + seen);
  }
}
