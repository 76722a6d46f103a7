package dev.tokensink.store;

import static dev.tokensink.store.JsonFields.number;
import static dev.tokensink.store.JsonFields.putIfSet;
import static dev.tokensink.store.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.model.AuthState;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ReauthMark;
import dev.tokensink.model.UsageStats;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The runtime state ({@code lastGood}, {@code usageStats}, {@code reauth}, {@code
 * refreshInFlight}), both ways. Entries keyed by an id that does not parse, and known fields of an
 * unexpected JSON type, are kept verbatim in the {@code extra} maps rather than dropped.
 */
final class StateCodec {
  static final Set<String> KNOWN = Set.of("lastGood", "usageStats", "reauth", "refreshInFlight");
  private static final Set<String> LONGS =
      Set.of(
          "lastUsed",
          "cooldownUntil",
          "disabledUntil",
          "lastFailureAt",
          "probeAfter",
          "authRefreshedAt");

  /** Per-model windows in a usage entry: model key → window and counts (docs/rules.md §4). */
  static final String MODELS = "modelCooldowns";

  private StateCodec() {}

  /** Reads the state fields of {@code node}; entries of {@code over} win per key. */
  static AuthState parse(JsonNode node, AuthState over, Map<String, JsonNode> extra) {
    Map<String, ProfileId> lastGood = new LinkedHashMap<>();
    Map<ProfileId, UsageStats> usage = new LinkedHashMap<>();
    Map<ProfileId, ReauthMark> reauth = new LinkedHashMap<>();
    Map<ProfileId, Long> inFlight = new LinkedHashMap<>();
    entries(node, "lastGood", extra, (k, v) -> lastGood.put(k, ProfileId.parse(text(v))));
    entries(node, "usageStats", extra, (k, v) -> usage.put(ProfileId.parse(k), usage(v)));
    entries(
        node,
        "reauth",
        extra,
        (k, v) ->
            reauth.put(
                ProfileId.parse(k),
                new ReauthMark(
                    text(v.get("reason")),
                    number(v.get("at")) == null ? 0L : number(v.get("at")))));
    entries(
        node,
        "refreshInFlight",
        extra,
        (k, v) -> {
          if (!v.isNumber()) {
            throw new IllegalArgumentException("not a number");
          }
          inFlight.put(ProfileId.parse(k), v.asLong());
        });
    if (over != null) {
      lastGood.putAll(over.lastGood());
      usage.putAll(over.usageStats());
      reauth.putAll(over.reauth());
      inFlight.putAll(over.refreshInFlight());
      extra.putAll(over.extra());
    }
    return new AuthState(lastGood, usage, reauth, inFlight, extra);
  }

  private interface Entry {
    void accept(String key, JsonNode value);
  }

  /**
   * Entries that cannot be understood are collected into extra[field] so that a rewrite keeps them.
   */
  private static void entries(
      JsonNode node, String field, Map<String, JsonNode> extra, Entry entry) {
    JsonNode map = node == null ? null : node.get(field);
    if (map == null || map.isNull()) {
      return;
    }
    if (!map.isObject()) {
      extra.put(field, map);
      return;
    }
    ObjectNode kept = StoreJson.MAPPER.createObjectNode();
    map.fields()
        .forEachRemaining(
            e -> {
              try {
                entry.accept(e.getKey(), e.getValue());
              } catch (
                  RuntimeException
                      bad) { // InvalidIdException, IllegalArgumentException, NPE on a wrong shape
                kept.set(e.getKey(), e.getValue());
              }
            });
    if (!kept.isEmpty()) {
      extra.put(field, kept);
    }
  }

  static UsageStats usage(JsonNode n) {
    if (!n.isObject()) {
      throw new IllegalArgumentException("usage entry is not an object");
    }
    Map<String, Long> longs = new LinkedHashMap<>();
    Map<String, String> texts = new LinkedHashMap<>();
    Map<String, Integer> failures = new LinkedHashMap<>();
    Map<String, UsageStats.ModelCooldown> models = new LinkedHashMap<>();
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    int[] errorCount = {0};
    n.fields()
        .forEachRemaining(
            e -> {
              String k = e.getKey();
              JsonNode v = e.getValue();
              if (LONGS.contains(k) && v.isNumber()) {
                longs.put(k, v.asLong());
              } else if (Set.of("cooldownReason", "cooldownModel", "disabledReason").contains(k)
                  && v.isTextual()) {
                texts.put(k, v.asText());
              } else if (k.equals("errorCount") && v.isInt()) {
                errorCount[0] = v.asInt();
              } else if (k.equals("failureCounts") && v.isObject() && allInts(v)) {
                v.fields().forEachRemaining(f -> failures.put(f.getKey(), f.getValue().asInt()));
              } else if (k.equals(MODELS) && v.isObject() && models(v, models)) {
                // read into models
              } else if (!v.isNull()) {
                extra.put(k, v);
              }
            });
    // OpenClaw 2026.9's single-model cooldown (cooldownModel) becomes that model's entry
    UsageStats legacy =
        new UsageStats(
            longs.get("lastUsed"),
            longs.get("cooldownUntil"),
            texts.get("cooldownReason"),
            texts.get("cooldownModel"),
            longs.get("disabledUntil"),
            texts.get("disabledReason"),
            errorCount[0],
            failures,
            longs.get("lastFailureAt"),
            longs.get("probeAfter"),
            extra);
    Map<String, UsageStats.ModelCooldown> all = new LinkedHashMap<>(legacy.models());
    all.putAll(models);
    return new UsageStats(
        legacy.lastUsed(),
        legacy.cooldownUntil(),
        legacy.cooldownReason(),
        legacy.disabledUntil(),
        legacy.disabledReason(),
        legacy.errorCount(),
        legacy.failureCounts(),
        legacy.lastFailureAt(),
        legacy.probeAfter(),
        longs.get("authRefreshedAt"),
        all,
        extra);
  }

  /** Per-model windows; false (kept verbatim) when any entry has an unexpected shape. */
  private static boolean models(JsonNode v, Map<String, UsageStats.ModelCooldown> out) {
    Map<String, UsageStats.ModelCooldown> read = new LinkedHashMap<>();
    for (var it = v.fields(); it.hasNext(); ) {
      var e = it.next();
      JsonNode m = e.getValue();
      if (!m.isObject()
          || !(m.path("model").isTextual())
          || !(m.path("failureCounts").isMissingNode() || allInts(m.path("failureCounts")))) {
        return false;
      }
      Map<String, Integer> counts = new LinkedHashMap<>();
      m.path("failureCounts")
          .fields()
          .forEachRemaining(f -> counts.put(f.getKey(), f.getValue().asInt()));
      String model = m.path("model").asText();
      read.put(
          UsageStats.modelKey(model),
          new UsageStats.ModelCooldown(
              model,
              number(m.get("cooldownUntil")),
              text(m.get("cooldownReason")),
              m.path("errorCount").asInt(0),
              counts,
              number(m.get("lastFailureAt"))));
    }
    out.putAll(read);
    return true;
  }

  private static boolean allInts(JsonNode v) {
    for (JsonNode x : v) {
      if (!x.isInt()) {
        return false;
      }
    }
    return true;
  }

  static ObjectNode usageJson(UsageStats u) {
    ObjectNode out = StoreJson.MAPPER.createObjectNode();
    putIfSet(out, "lastUsed", u.lastUsed());
    putIfSet(out, "cooldownUntil", u.cooldownUntil());
    putIfSet(out, "cooldownReason", u.cooldownReason());
    putIfSet(out, "disabledUntil", u.disabledUntil());
    putIfSet(out, "disabledReason", u.disabledReason());
    if (u.errorCount() != 0) {
      out.put("errorCount", u.errorCount());
    }
    if (!u.failureCounts().isEmpty()) {
      ObjectNode f = out.putObject("failureCounts");
      u.failureCounts().forEach(f::put);
    }
    putIfSet(out, "lastFailureAt", u.lastFailureAt());
    putIfSet(out, "probeAfter", u.probeAfter());
    putIfSet(out, "authRefreshedAt", u.authRefreshedAt());
    if (!u.models().isEmpty()) {
      ObjectNode models = out.putObject(MODELS);
      u.models()
          .forEach(
              (key, m) -> {
                ObjectNode o = models.putObject(key);
                o.put("model", m.model());
                putIfSet(o, "cooldownUntil", m.cooldownUntil());
                putIfSet(o, "cooldownReason", m.cooldownReason());
                if (m.errorCount() != 0) {
                  o.put("errorCount", m.errorCount());
                }
                if (!m.failureCounts().isEmpty()) {
                  ObjectNode f = o.putObject("failureCounts");
                  m.failureCounts().forEach(f::put);
                }
                putIfSet(o, "lastFailureAt", m.lastFailureAt());
              });
    }
    JsonFields.putExtra(out, u.extra());
    return out;
  }

  /** Writes the four state maps into {@code out}, merging entries kept verbatim in extra. */
  static void write(AuthState s, ObjectNode out) {
    ObjectNode lastGood = out.putObject("lastGood");
    s.lastGood().forEach((k, v) -> lastGood.put(k, v.toString()));
    ObjectNode usage = out.putObject("usageStats");
    s.usageStats().forEach((k, v) -> usage.set(k.toString(), usageJson(v)));
    if (!s.reauth().isEmpty()) {
      ObjectNode r = out.putObject("reauth");
      s.reauth()
          .forEach((k, v) -> r.putObject(k.toString()).put("reason", v.reason()).put("at", v.at()));
    }
    if (!s.refreshInFlight().isEmpty()) {
      ObjectNode r = out.putObject("refreshInFlight");
      s.refreshInFlight().forEach((k, v) -> r.put(k.toString(), v));
    }
    for (String field : KNOWN) {
      JsonNode kept = s.extra().get(field);
      if (kept != null && kept.isObject() && out.get(field) instanceof ObjectNode target) {
        kept.fields()
            .forEachRemaining(
                e -> {
                  if (!target.has(e.getKey())) {
                    target.set(e.getKey(), e.getValue().deepCopy());
                  }
                });
      }
    }
  }
}
