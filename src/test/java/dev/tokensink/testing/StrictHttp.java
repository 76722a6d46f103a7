package dev.tokensink.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small HTTP helpers for the fake servers in this package. */
final class StrictHttp {
  private StrictHttp() {}

  static void send(HttpExchange ex, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Reads a form or JSON body (by Content-Type) into a flat map of strings. */
  static StrictOAuthServer.Recorded readParams(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    Map<String, String> params = new LinkedHashMap<>();
    if (type != null && type.startsWith("application/json")) {
      JsonNode json = StrictOAuthServer.readJson(body);
      json.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
    } else {
      params.putAll(HttpForms.parse(new String(body, StandardCharsets.UTF_8)));
    }
    return new StrictOAuthServer.Recorded(type, params);
  }
}
