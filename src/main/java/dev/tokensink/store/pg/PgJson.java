package dev.tokensink.store.pg;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.store.StoreException;
import dev.tokensink.store.StoreJson;

/**
 * jsonb text ↔ Jackson trees with the codec's mapper (exact decimals). Errors never quote content.
 */
final class PgJson {
  private PgJson() {}

  static ObjectNode parse(String text, String what) {
    try {
      JsonNode n = StoreJson.MAPPER.readTree(text);
      if (n == null || !n.isObject()) {
        throw new StoreException(what + " is not a JSON object");
      }
      return (ObjectNode) n;
    } catch (JsonProcessingException e) {
      throw new StoreException(what + " is not valid JSON");
    }
  }

  static String text(JsonNode n) {
    try {
      return StoreJson.MAPPER
          .writer()
          .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }
}
