package dev.tokensink.store;

import static dev.tokensink.store.JsonFields.number;
import static dev.tokensink.store.JsonFields.putIfSet;
import static dev.tokensink.store.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.model.Credential;
import dev.tokensink.model.JwtExpiry;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProfileType;
import dev.tokensink.model.ProviderId;
import dev.tokensink.model.Secret;
import dev.tokensink.model.SecretRef;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One profile entry of auth-profiles.json, both ways. Reading accepts the legacy names ({@code
 * mode} for {@code type}, {@code apiKey} for {@code key}); writing uses the current names. Fields
 * it does not know, and known optional fields of an unexpected JSON type, go to {@link
 * Profile#extra()} and are written back unchanged. Error messages never contain a secret.
 */
final class ProfileCodec {
  private static final Set<String> COMMON =
      Set.of("type", "mode", "provider", "email", "displayName");
  private static final Map<ProfileType, Set<String>> KNOWN =
      Map.of(
          ProfileType.API_KEY, Set.of("key", "apiKey", "keyRef", "metadata"),
          ProfileType.TOKEN, Set.of("token", "tokenRef", "expires"),
          ProfileType.OAUTH, Set.of("access", "refresh", "expires", "accountId", "clientId"));

  private ProfileCodec() {}

  /**
   * @throws IllegalArgumentException (secret-free message) when the entry cannot be understood
   */
  static Profile parse(String id, JsonNode node) {
    ProfileId pid = ProfileId.parse(id);
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("profile " + pid + " is not a JSON object");
    }
    String typeName = text(node.has("type") ? node.get("type") : node.get("mode"));
    ProfileType type = ProfileType.fromJson(typeName);
    if (type == null) {
      throw new IllegalArgumentException(
          "profile "
              + pid
              + " has "
              + (typeName == null
                  ? "no type"
                  : "unknown type '" + JsonFields.echo(typeName) + "'"));
    }
    ProviderId provider =
        node.has("provider") ? providerOf(pid, node.get("provider")) : pid.provider();
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    node.fields()
        .forEachRemaining(
            e -> {
              if (!COMMON.contains(e.getKey()) && !KNOWN.get(type).contains(e.getKey())) {
                extra.put(e.getKey(), e.getValue());
              }
            });
    Credential credential;
    try {
      credential =
          switch (type) {
            case API_KEY -> apiKey(node, extra);
            case TOKEN -> token(node);
            case OAUTH -> oauth(node, extra);
          };
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("profile " + pid + ": " + e.getMessage());
    }
    String email = optionalText(node, "email", extra);
    String displayName = optionalText(node, "displayName", extra);
    return new Profile(pid, provider, credential, email, displayName, extra);
  }

  private static ProviderId providerOf(ProfileId pid, JsonNode n) {
    String value = text(n);
    if (value == null) {
      throw new IllegalArgumentException("profile " + pid + " has a provider that is not a string");
    }
    return ProviderId.of(value);
  }

  private static String optionalText(JsonNode node, String name, Map<String, JsonNode> extra) {
    JsonNode n = node.get(name);
    if (n != null && !n.isTextual() && !n.isNull()) {
      extra.put(name, n);
    }
    return text(n);
  }

  private static Credential.ApiKey apiKey(JsonNode node, Map<String, JsonNode> extra) {
    String key = secretText(node, node.has("key") ? "key" : "apiKey");
    SecretRef ref = ref(node.get("keyRef"), "keyRef");
    Map<String, String> metadata = new HashMap<>();
    JsonNode meta = node.get("metadata");
    if (meta != null && meta.isObject()) {
      meta.fields().forEachRemaining(e -> metadata.put(e.getKey(), text(e.getValue())));
    }
    if (metadata.containsValue(null) || (meta != null && !meta.isObject() && !meta.isNull())) {
      extra.put("metadata", meta); // not a string map: kept verbatim instead of being lost
      metadata.clear();
    }
    if (key == null && ref == null) {
      throw new IllegalArgumentException("api_key profile has neither key nor keyRef");
    }
    return new Credential.ApiKey(Secret.ofNullable(key), ref, metadata);
  }

  private static Credential.Token token(JsonNode node) {
    checkExpires(node);
    Secret token = Secret.ofNullable(secretText(node, "token"));
    return new Credential.Token(
        token,
        ref(node.get("tokenRef"), "tokenRef"),
        JwtExpiry.earlier(token, number(node.get("expires"))));
  }

  private static Credential.OAuth oauth(JsonNode node, Map<String, JsonNode> extra) {
    checkExpires(node);
    Long expires = number(node.get("expires"));
    Secret access = Secret.ofNullable(secretText(node, "access"));
    // docs/rules.md §2: a JWT exp earlier than the stored expires wins, whenever a credential loads
    expires = JwtExpiry.earlier(access, expires);
    return new Credential.OAuth(
        access,
        Secret.ofNullable(secretText(node, "refresh")),
        expires == null ? 0L : expires, // unknown expiry: treated as expired, so it refreshes first
        optionalText(node, "accountId", extra),
        optionalText(node, "clientId", extra));
  }

  /** A secret field: absent or null, else it must be a string (never echoed). */
  private static String secretText(JsonNode node, String name) {
    JsonNode n = node.get(name);
    if (n != null && !n.isNull() && !n.isTextual()) {
      throw new IllegalArgumentException(name + " is not a string");
    }
    return text(n);
  }

  private static void checkExpires(JsonNode node) {
    JsonNode n = node.get("expires");
    if (!JsonFields.isNumberOrNull(n)) {
      throw new IllegalArgumentException("expires is not a number");
    }
    if (n != null && n.isNumber() && !n.canConvertToLong()) {
      throw new IllegalArgumentException("expires is out of range (epoch milliseconds expected)");
    }
  }

  private static SecretRef ref(JsonNode n, String name) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject() || text(n.get("source")) == null || text(n.get("source")).isBlank()) {
      throw new IllegalArgumentException(name + " needs an object with a string source");
    }
    return new SecretRef(text(n.get("source")), text(n.get("provider")), text(n.get("id")));
  }

  static ObjectNode write(Profile p) {
    ObjectNode out = StoreJson.MAPPER.createObjectNode();
    out.put("type", p.type().json());
    out.put("provider", p.provider().value());
    Credential c = p.credential();
    if (c instanceof Credential.ApiKey k) {
      putIfSet(out, "key", k.key() == null ? null : k.key().reveal());
      putRef(out, "keyRef", k.keyRef());
      if (!k.metadata().isEmpty()) {
        ObjectNode meta = out.putObject("metadata");
        k.metadata().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .forEach(e -> meta.put(e.getKey(), e.getValue()));
      }
    } else if (c instanceof Credential.Token t) {
      putIfSet(out, "token", t.token() == null ? null : t.token().reveal());
      putRef(out, "tokenRef", t.tokenRef());
      putIfSet(out, "expires", t.expires());
    } else if (c instanceof Credential.OAuth o) {
      out.put("access", o.access().reveal());
      putIfSet(out, "refresh", o.refresh() == null ? null : o.refresh().reveal());
      out.put("expires", o.expires());
      putIfSet(out, "accountId", o.accountId());
      putIfSet(out, "clientId", o.clientId());
    }
    putIfSet(out, "email", p.email());
    putIfSet(out, "displayName", p.displayName());
    JsonFields.putExtra(out, p.extra());
    return out;
  }

  private static void putRef(ObjectNode out, String name, SecretRef ref) {
    if (ref != null) {
      ObjectNode r = out.putObject(name);
      r.put("source", ref.source());
      putIfSet(r, "provider", ref.provider());
      putIfSet(r, "id", ref.id());
    }
  }
}
