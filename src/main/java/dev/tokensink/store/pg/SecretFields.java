package dev.tokensink.store.pg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.model.AgentId;
import dev.tokensink.store.StoreJson;
import java.util.Set;

/**
 * Which parts of a stored row are secret, and their sealing. In a profile entry: the known secret
 * fields ({@code key}, {@code token}, {@code access}, {@code refresh}, legacy {@code apiKey}) plus
 * unknown fields whose names are commonly secret ({@code idToken}, {@code clientSecret}, …). Other
 * fields stay readable jsonb (type, provider, expires, email, refs). In the agent's extra top-level
 * fields, the kept-verbatim invalid profile entries are sealed as one value, since they may hold
 * anything. Plain string values are still read (a store written before a key was configured); they
 * are sealed on the next write of that row.
 */
final class SecretFields {
  private static final Set<String> PROFILE_SECRETS =
      Set.of(
          "key",
          "apiKey",
          "token",
          "access",
          "refresh",
          "idToken",
          "id_token",
          "clientSecret",
          "client_secret",
          "password",
          "secret");

  private SecretFields() {}

  /** Place names used as associated data and in error messages. */
  static String place(AgentId agent, String profileId, String field) {
    return "agent " + agent + " profile " + profileId + " field " + field;
  }

  static ObjectNode sealProfile(KeyRing ring, AgentId agent, String profileId, ObjectNode entry) {
    if (!ring.encrypts()) {
      return entry;
    }
    ObjectNode out = entry.deepCopy();
    for (String f : PROFILE_SECRETS) {
      JsonNode v = out.get(f);
      if (v != null && v.isTextual()) {
        out.set(f, ring.seal(v.asText(), place(agent, profileId, f)));
      }
    }
    return out;
  }

  static ObjectNode openProfile(KeyRing ring, AgentId agent, String profileId, ObjectNode stored) {
    ObjectNode out = stored;
    for (String f : PROFILE_SECRETS) {
      JsonNode v = stored.get(f);
      if (KeyRing.isSealed(v)) {
        if (out == stored) {
          out = stored.deepCopy();
        }
        out.put(f, ring.open(v, place(agent, profileId, f)));
      }
    }
    return out;
  }

  /** The agent's extra top-level fields; the invalid-profiles entry is sealed whole. */
  static ObjectNode sealExtra(KeyRing ring, AgentId agent, ObjectNode extra) {
    JsonNode invalid = extra.get(StoreJson.INVALID_PROFILES);
    if (!ring.encrypts() || invalid == null) {
      return extra;
    }
    ObjectNode out = extra.deepCopy();
    out.set(StoreJson.INVALID_PROFILES, ring.seal(invalid.toString(), invalidPlace(agent)));
    return out;
  }

  static ObjectNode openExtra(KeyRing ring, AgentId agent, ObjectNode stored) {
    JsonNode invalid = stored.get(StoreJson.INVALID_PROFILES);
    if (!KeyRing.isSealed(invalid)) {
      return stored;
    }
    ObjectNode out = stored.deepCopy();
    out.set(
        StoreJson.INVALID_PROFILES,
        PgJson.parse(ring.open(invalid, invalidPlace(agent)), invalidPlace(agent)));
    return out;
  }

  private static String invalidPlace(AgentId agent) {
    return "agent " + agent + " invalid profile entries";
  }
}
