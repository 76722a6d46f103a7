package dev.tokensink.store;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.AuthState;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON codec of the file layout (docs/rules.md §1), shared by the file store, the importer and
 * the CLI. Stateless and thread-safe.
 *
 * <p>Reading accepts both OpenClaw layouts: the older single file (lastGood/usageStats inside
 * auth-profiles.json) and the split one (order/usageStats in auth-state.json; its {@code order}
 * wins per provider). Writing always produces the split layout, {@code order} in
 * auth-profiles.json. Unknown fields at every level are kept in the records' {@code extra} maps and
 * written back.
 *
 * <p>A profile entry that cannot be understood (unknown type, no key, malformed id) does not fail
 * the agent: it is left out of {@link AgentSnapshot#profiles()}, kept verbatim under the reserved
 * snapshot extra key {@link #INVALID_PROFILES} and written back unchanged, unless a valid profile
 * with the same id replaces it. {@link #invalidProfiles} reports them with a secret-free reason.
 */
public final class StoreJson {
  /** Shared mapper: exact decimals (unknown numbers survive a rewrite), pretty output. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /**
   * Output shaped like OpenClaw's {@code JSON.stringify(v, null, 2)}, so rewrites diff minimally.
   */
  private static final ObjectWriter WRITER =
      MAPPER.writer(
          new DefaultPrettyPrinter()
              .withSeparators(
                  Separators.createDefaultInstance()
                      .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                      .withObjectEmptySeparator("")
                      .withArrayEmptySeparator(""))
              .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
              .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n")));

  /**
   * Snapshot extra key holding {@code {id: {"reason": text, "raw": entry}}} for entries not
   * understood.
   */
  public static final String INVALID_PROFILES = "tokensink:invalidProfiles";

  private static final Set<String> PROFILE_FILE_KNOWN =
      Set.of("version", "profiles", "order", "lastGood", "usageStats");

  private StoreJson() {}

  /**
   * Parses a file's bytes. The error names {@code fileLabel} and the line/column, never the
   * content.
   */
  public static JsonNode parse(byte[] content, String fileLabel) {
    try {
      JsonNode node = MAPPER.readTree(content);
      if (node == null || node.isMissingNode()) {
        throw new StoreException.Corrupt(fileLabel, 1, 1, "is empty");
      }
      if (!node.isObject()) {
        throw new StoreException.Corrupt(fileLabel, 1, 1, "is not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String what =
          e instanceof JsonEOFException ? "ends unexpectedly (truncated?)" : "is not valid JSON";
      // Jackson's own message may quote the offending token, which can be a secret: never used.
      throw new StoreException.Corrupt(
          fileLabel, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), what);
    } catch (IOException e) {
      throw new StoreException("cannot read " + fileLabel + ": " + e.getClass().getSimpleName());
    }
  }

  /** Pretty-printed UTF-8 with a trailing newline. */
  public static byte[] bytes(JsonNode node) {
    try {
      return (WRITER.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }

  /**
   * One profile entry; {@link IllegalArgumentException} (secret-free message) when not understood.
   */
  public static Profile parseProfile(String id, JsonNode entry) {
    return ProfileCodec.parse(id, entry);
  }

  /** One profile entry as stored; the only place (with the sink) where secrets are revealed. */
  public static ObjectNode profileJson(Profile profile) {
    return ProfileCodec.write(profile);
  }

  /**
   * Builds the snapshot of one agent from its auth-profiles.json tree and its auth-state.json tree
   * (null when absent). Only the top-level shape can fail: a {@link StoreException.Corrupt}.
   */
  public static AgentSnapshot parseAgent(
      AgentId agent, JsonNode profilesFile, JsonNode stateFileOrNull) {
    Map<ProfileId, Profile> profiles = new LinkedHashMap<>();
    ObjectNode invalid = MAPPER.createObjectNode();
    JsonNode entries = profilesFile.get("profiles");
    if (entries != null && !entries.isNull() && !entries.isObject()) {
      throw new StoreException.Corrupt(
          "auth-profiles.json", 0, 0, "has a \"profiles\" field that is not an object");
    }
    if (entries != null) {
      entries
          .fields()
          .forEachRemaining(
              e -> {
                try {
                  Profile p = ProfileCodec.parse(e.getKey(), e.getValue());
                  profiles.put(p.id(), p);
                } catch (IllegalArgumentException bad) {
                  ObjectNode kept = invalid.putObject(e.getKey());
                  kept.put("reason", bad.getMessage());
                  kept.set("raw", e.getValue());
                }
              });
    }
    Map<String, List<ProfileId>> order = new LinkedHashMap<>();
    readOrder(profilesFile.get("order"), order);
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    profilesFile
        .fields()
        .forEachRemaining(
            e -> {
              if (!PROFILE_FILE_KNOWN.contains(e.getKey())
                  || unusualVersion(e.getKey(), e.getValue())) {
                extra.put(e.getKey(), e.getValue());
              }
            });
    if (!invalid.isEmpty()) {
      extra.put(INVALID_PROFILES, invalid);
    }
    // Older single-file layout: state inside auth-profiles.json; auth-state.json wins per key.
    AuthState state = StateCodec.parse(profilesFile, null, new LinkedHashMap<>());
    if (stateFileOrNull != null) {
      readOrder(stateFileOrNull.get("order"), order);
      Map<String, JsonNode> stateExtra = new LinkedHashMap<>();
      stateFileOrNull
          .fields()
          .forEachRemaining(
              e -> {
                boolean known =
                    StateCodec.KNOWN.contains(e.getKey())
                        || e.getKey().equals("order")
                        || e.getKey().equals("version");
                if (!known || unusualVersion(e.getKey(), e.getValue())) {
                  stateExtra.put(e.getKey(), e.getValue());
                }
              });
      AuthState fromFile = StateCodec.parse(stateFileOrNull, null, stateExtra);
      state = StateCodec.parse(profilesFile, fromFile, new LinkedHashMap<>());
    }
    return new AgentSnapshot(agent, profiles, order, state, extra);
  }

  /** A version other than 1 (a newer writer) is kept and written back as it was. */
  private static boolean unusualVersion(String key, JsonNode value) {
    return key.equals("version") && !(value.isIntegralNumber() && value.asInt() == 1);
  }

  private static void readOrder(JsonNode node, Map<String, List<ProfileId>> order) {
    if (node == null || !node.isObject()) {
      return;
    }
    node.fields()
        .forEachRemaining(
            e -> {
              List<ProfileId> ids = new ArrayList<>();
              e.getValue()
                  .forEach(
                      x -> {
                        try {
                          ids.add(ProfileId.parse(x.asText()));
                        } catch (IllegalArgumentException skipped) {
                          // an id that can never name a profile is dropped from the order
                        }
                      });
              order.put(e.getKey(), ids);
            });
  }

  /**
   * auth-profiles.json of a snapshot: version, profiles (plus kept invalid entries), order, extras.
   */
  public static ObjectNode profilesJson(AgentSnapshot s) {
    ObjectNode out = MAPPER.createObjectNode();
    out.set("version", s.extra().getOrDefault("version", out.numberNode(1)));
    ObjectNode profiles = out.putObject("profiles");
    s.profiles().forEach((id, p) -> profiles.set(id.toString(), ProfileCodec.write(p)));
    JsonNode invalid = s.extra().get(INVALID_PROFILES);
    if (invalid != null) {
      invalid
          .fields()
          .forEachRemaining(
              e -> {
                if (!profiles.has(e.getKey())) {
                  profiles.set(e.getKey(), e.getValue().get("raw").deepCopy());
                }
              });
    }
    if (!s.order().isEmpty()) {
      ObjectNode order = out.putObject("order");
      s.order()
          .forEach(
              (provider, ids) -> ids.forEach(id -> order.withArray(provider).add(id.toString())));
    }
    s.extra()
        .forEach(
            (k, v) -> {
              if (!k.equals(INVALID_PROFILES) && !out.has(k)) {
                out.set(k, v.deepCopy());
              }
            });
    return out;
  }

  /**
   * auth-state.json of a snapshot: version, lastGood, usageStats, reauth, refreshInFlight, extras.
   */
  public static ObjectNode stateJson(AgentSnapshot s) {
    ObjectNode out = MAPPER.createObjectNode();
    out.set("version", s.state().extra().getOrDefault("version", out.numberNode(1)));
    StateCodec.write(s.state(), out);
    JsonFields.putExtra(out, s.state().extra());
    return out;
  }

  /** The snapshot without the kept invalid entry {@code id} (removing it by hand, e.g. logout). */
  public static AgentSnapshot withoutInvalid(AgentSnapshot s, String id) {
    JsonNode invalid = s.extra().get(INVALID_PROFILES);
    if (invalid == null || !invalid.has(id)) {
      return s;
    }
    ObjectNode next = ((ObjectNode) invalid).deepCopy();
    next.remove(id);
    Map<String, JsonNode> extra = new LinkedHashMap<>(s.extra());
    if (next.isEmpty()) {
      extra.remove(INVALID_PROFILES);
    } else {
      extra.put(INVALID_PROFILES, next);
    }
    return new AgentSnapshot(s.agent(), s.profiles(), s.order(), s.state(), extra);
  }

  /**
   * Profile entries kept verbatim because they could not be understood: id → secret-free reason.
   */
  public static Map<String, String> invalidProfiles(AgentSnapshot s) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode invalid = s.extra().get(INVALID_PROFILES);
    if (invalid != null) {
      invalid
          .fields()
          .forEachRemaining(
              e -> {
                if (!s.profiles().keySet().stream()
                    .anyMatch(id -> id.toString().equals(e.getKey()))) {
                  out.put(e.getKey(), e.getValue().get("reason").asText());
                }
              });
    }
    return out;
  }
}
