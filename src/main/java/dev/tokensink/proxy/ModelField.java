package dev.tokensink.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The top-level {@code "model"} string of a JSON request body, found with a streaming parser (no
 * tree is built), and a copy of the body with only that value replaced: every other byte the client
 * sent is forwarded unchanged.
 *
 * @param value the model as sent; null when the body is not a JSON object or has no string model
 * @param start byte offset of the value's opening quote
 * @param end byte offset just past its closing quote
 */
public record ModelField(String value, int start, int end) {
  private static final JsonFactory JSON = new JsonFactory();
  static final ModelField NONE = new ModelField(null, -1, -1);

  /** Reads the model of {@code body}; a body that is not a JSON object yields {@link #NONE}. */
  public static ModelField find(byte[] body) {
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return NONE;
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if ("model".equals(name) && v == JsonToken.VALUE_STRING) {
          int start = (int) p.currentTokenLocation().getByteOffset();
          String value = p.getText();
          p.finishToken();
          int end = (int) p.currentLocation().getByteOffset();
          return new ModelField(value, start, end);
        }
        p.skipChildren();
      }
      return NONE;
    } catch (IOException | RuntimeException e) {
      return NONE; // not JSON: forwarded as it is, the provider answers it
    }
  }

  public boolean present() {
    return value != null;
  }

  /** {@code body} with this field's value replaced by {@code model} (JSON-escaped). */
  public byte[] replace(byte[] body, String model) {
    byte[] quoted =
        ("\"" + new String(JsonStringEncoder.getInstance().quoteAsString(model)) + "\"")
            .getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[body.length - (end - start) + quoted.length];
    System.arraycopy(body, 0, out, 0, start);
    System.arraycopy(quoted, 0, out, start, quoted.length);
    System.arraycopy(body, end, out, start + quoted.length, body.length - end);
    return out;
  }

  @Override
  public String toString() {
    return "ModelField[" + value + "]";
  }
}
