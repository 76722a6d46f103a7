package dev.tokensink.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Small typed accessors for the codecs: each returns null when the field is absent or of another
 * type.
 */
final class JsonFields {
  private JsonFields() {}

  static String text(JsonNode n) {
    return n != null && n.isTextual() ? n.asText() : null;
  }

  static Long number(JsonNode n) {
    return n != null && n.isNumber() ? n.asLong() : null;
  }

  static boolean isNumberOrNull(JsonNode n) {
    return n == null || n.isNull() || n.isNumber();
  }

  static void putIfSet(ObjectNode out, String name, String value) {
    if (value != null) {
      out.put(name, value);
    }
  }

  static void putIfSet(ObjectNode out, String name, Long value) {
    if (value != null) {
      out.put(name, value);
    }
  }

  /**
   * Writes fields this version does not know after the known ones; a known name is never
   * overwritten.
   */
  static void putExtra(ObjectNode out, Map<String, JsonNode> extra) {
    extra.forEach(
        (k, v) -> {
          if (!out.has(k)) {
            out.set(k, v.deepCopy());
          }
        });
  }

  /** A short, printable echo of a non-secret value (a type name) for error messages. */
  static String echo(String value) {
    String s = value.length() > 40 ? value.substring(0, 40) + "…" : value;
    return s.replaceAll("[^\\x20-\\x7e…]", "?");
  }
}
