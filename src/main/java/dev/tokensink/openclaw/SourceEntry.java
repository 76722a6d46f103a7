package dev.tokensink.openclaw;

import com.fasterxml.jackson.databind.JsonNode;

/** One profile entry as OpenClaw shows it to an agent, with where it was stored. */
record SourceEntry(String id, JsonNode raw, String label, boolean shared) {
  boolean isOAuth() {
    String type =
        raw.path("type").isTextual() ? raw.path("type").asText() : raw.path("mode").asText();
    return "oauth".equals(type);
  }

  boolean copyToAgents() {
    return raw.path("copyToAgents").asBoolean(false);
  }
}
