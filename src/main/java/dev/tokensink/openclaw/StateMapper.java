package dev.tokensink.openclaw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AuthState;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.UsageStats;
import dev.tokensink.store.StoreJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries OpenClaw's routing state over to the profiles an agent actually imports: {@code order}
 * (an id follows its profile to its tokensink provider; an id not imported here is dropped), {@code
 * lastGood}, {@code usageStats} (parsed by the store codec, unknown fields kept) and the re-auth
 * marks of refresh fences.
 *
 * <p>2026.9 usage fields {@code blockedUntil}/{@code blockedReason}/{@code blockedModel} are kept
 * as they are; a block without {@code blockedModel} also becomes {@code disabledUntil}/{@code
 * disabledReason} when those are unset, so that tokensink's routing honours it. {@code
 * cooldownModel} maps directly.
 */
final class StateMapper {
  private StateMapper() {}

  static void apply(AgentPlan plan, ObjectNode state) {
    Map<String, MappedProfile> bySource = new HashMap<>();
    plan.profiles.forEach(m -> bySource.put(m.sourceId(), m));
    state
        .path("order")
        .properties()
        .forEach(
            e -> {
              for (JsonNode id : e.getValue()) {
                MappedProfile m = bySource.get(id.asText());
                if (m != null) {
                  List<ProfileId> list =
                      plan.order.computeIfAbsent(
                          m.profile().provider().value(), k -> new ArrayList<>());
                  if (!list.contains(m.profile().id())) {
                    list.add(m.profile().id());
                  }
                }
              }
            });
    ObjectNode tree = StoreJson.MAPPER.createObjectNode();
    ObjectNode usage = tree.putObject("usageStats");
    ObjectNode lastGood = tree.putObject("lastGood");
    state
        .path("usageStats")
        .properties()
        .forEach(
            e -> {
              MappedProfile m = bySource.get(e.getKey());
              if (m != null
                  && m.reauth() == null) { // a fence's old stats describe a token that is gone
                usage.set(m.profile().id().toString(), e.getValue());
              }
            });
    state
        .path("lastGood")
        .properties()
        .forEach(
            e -> {
              MappedProfile m = bySource.get(e.getValue().asText());
              if (m != null && m.reauth() == null) {
                lastGood.put(m.profile().provider().value(), m.profile().id().toString());
              }
            });
    ObjectNode noProfiles = StoreJson.MAPPER.createObjectNode();
    noProfiles.putObject("profiles");
    AuthState parsed = StoreJson.parseAgent(AgentId.of(plan.agent), noProfiles, tree).state();
    AuthState out = new AuthState(parsed.lastGood(), Map.of(), Map.of(), Map.of(), Map.of());
    for (Map.Entry<ProfileId, UsageStats> e : parsed.usageStats().entrySet()) {
      out = out.withUsage(e.getKey(), mapBlocked(e.getValue()));
    }
    for (MappedProfile m : plan.profiles) {
      if (m.reauth() != null) {
        out = out.withReauth(m.profile().id(), m.reauth());
      }
    }
    plan.state = out;
  }

  static UsageStats mapBlocked(UsageStats u) {
    JsonNode until = u.extra().get("blockedUntil");
    if (until == null
        || !until.isNumber()
        || u.extra().containsKey("blockedModel")
        || u.disabledUntil() != null) {
      return u;
    }
    JsonNode reason = u.extra().get("blockedReason");
    return new UsageStats(
        u.lastUsed(),
        u.cooldownUntil(),
        u.cooldownReason(),
        until.asLong(),
        reason != null && reason.isTextual() ? reason.asText() : "blocked",
        u.errorCount(),
        u.failureCounts(),
        u.lastFailureAt(),
        u.probeAfter(),
        u.authRefreshedAt(),
        u.models(),
        u.extra());
  }
}
