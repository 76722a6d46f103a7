package dev.tokensink.openclaw;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Secret;
import dev.tokensink.store.StoreJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds each agent's {@link AgentPlan} from a {@link Source}: the profiles OpenClaw shows that
 * agent (shared base overlaid by the agent's own by id; a shared OAuth profile only with {@code
 * copyToAgents: true}), except that one OAuth grant goes into exactly one agent: the default agent
 * for the shared base, else {@code main} or the first agent id among those holding the same refresh
 * token (OpenClaw up to 2026.5 copied grants into agents; two refreshers revoke each other).
 */
final class Planner {
  private final ProfileMapper mapper;

  Planner(ProfileMapper mapper) {
    this.mapper = mapper;
  }

  Map<String, AgentPlan> plan(Source source) {
    Map<String, AgentPlan> plans = new LinkedHashMap<>();
    for (Source.Agent a : source.agents()) {
      OpenClawImportException error = a.error() != null ? a.error() : source.sharedError();
      AgentPlan plan = new AgentPlan(a.id(), error);
      plans.put(a.id(), plan);
      if (error == null) {
        mapEntries(plan, effective(source, a));
      }
    }
    assignGrants(plans);
    for (Source.Agent a : source.agents()) {
      AgentPlan plan = plans.get(a.id());
      if (plan.error == null) {
        StateMapper.apply(plan, effectiveState(source, a));
      }
    }
    return plans;
  }

  private static List<SourceEntry> effective(Source source, Source.Agent a) {
    Map<String, SourceEntry> out = new LinkedHashMap<>();
    if (source.shared() != null) {
      boolean isDefault = a.id().equals(SourceReader.DEFAULT_AGENT);
      source
          .shared()
          .profiles()
          .properties()
          .forEach(
              e -> {
                SourceEntry entry =
                    new SourceEntry(e.getKey(), e.getValue(), source.shared().label(), true);
                if (!entry.isOAuth() || isDefault || entry.copyToAgents()) {
                  out.put(e.getKey(), entry);
                }
              });
    }
    a.own()
        .profiles()
        .properties()
        .forEach(
            e ->
                out.put(
                    e.getKey(), new SourceEntry(e.getKey(), e.getValue(), a.own().label(), false)));
    return new ArrayList<>(out.values());
  }

  /**
   * auth.order of openclaw.json, then the shared state, then the agent's own; later wins per
   * provider.
   */
  private static ObjectNode effectiveState(Source source, Source.Agent a) {
    ObjectNode state = StoreJson.MAPPER.createObjectNode();
    ObjectNode configured = state.putObject("order");
    source
        .config()
        .authOrder()
        .forEach((p, ids) -> ids.forEach(id -> configured.withArray(p).add(id)));
    if (source.shared() != null) {
      JsonSource.overlayState(state, source.shared().state());
    }
    JsonSource.overlayState(state, a.own().state());
    return state;
  }

  private void mapEntries(AgentPlan plan, List<SourceEntry> entries) {
    for (SourceEntry e : entries) {
      if (!e.raw().isObject()) {
        plan.skipped.add(
            new AgentPlan.Skip(
                e.id(), e.label() + ": profile " + e.id() + " is not a JSON object", true));
        continue;
      }
      try {
        plan.profiles.add(mapper.map(e));
      } catch (ProfileMapper.SkipException | IllegalArgumentException bad) {
        plan.skipped.add(new AgentPlan.Skip(e.id(), bad.getMessage(), true));
      }
    }
  }

  private record Grant(String provider, Secret refresh) {}

  private static void assignGrants(Map<String, AgentPlan> plans) {
    Map<Object, String> owners = new LinkedHashMap<>();
    Map<Object, MappedProfile> owned = new LinkedHashMap<>();
    // the default agent first, so it owns every grant it shares
    List<AgentPlan> ordered = new ArrayList<>(plans.values());
    ordered.sort(
        (x, y) ->
            x.agent.equals(SourceReader.DEFAULT_AGENT)
                ? -1
                : y.agent.equals(SourceReader.DEFAULT_AGENT) ? 1 : x.agent.compareTo(y.agent));
    for (AgentPlan plan : ordered) {
      for (MappedProfile m : List.copyOf(plan.profiles)) {
        Object key = grantKey(m);
        if (key == null) {
          continue;
        }
        String owner = owners.putIfAbsent(key, plan.agent);
        if (owner == null && m.entry().shared() && !plan.agent.equals(SourceReader.DEFAULT_AGENT)) {
          owners.put(
              key,
              SourceReader.DEFAULT_AGENT); // a shared grant belongs to main, even if main lacks it
          owner = SourceReader.DEFAULT_AGENT;
        }
        if (owner == null) {
          owned.put(key, m);
          continue;
        }
        plan.profiles.remove(m);
        plan.skipped.add(
            new AgentPlan.Skip(
                m.sourceId(),
                "OAuth grant imported into agent " + owner + " only (one refresh owner per grant)",
                false));
        AgentPlan ownerPlan = plans.get(owner);
        MappedProfile kept = owned.get(key);
        if (ownerPlan != null && kept != null) {
          ownerPlan
              .alsoUsedBy
              .computeIfAbsent(kept.profile().id(), k -> new ArrayList<>())
              .add(plan.agent);
        }
      }
    }
  }

  /** Same grant: same provider and refresh token; a shared entry is one grant by its id. */
  private static Object grantKey(MappedProfile m) {
    if (!(m.profile().credential() instanceof Credential.OAuth o)) {
      return null;
    }
    if (m.entry().shared()) {
      return "shared\0" + m.sourceId();
    }
    return o.refresh() == null || m.reauth() != null
        ? null
        : new Grant(m.profile().provider().value(), o.refresh());
  }
}
