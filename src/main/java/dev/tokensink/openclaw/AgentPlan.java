package dev.tokensink.openclaw;

import dev.tokensink.model.AuthState;
import dev.tokensink.model.ProfileId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the import would put into one tokensink agent, before it meets the target store: mapped
 * profiles, order per provider (ids follow their profile), state (usage, lastGood, re-auth marks),
 * entries skipped with a reason, and for each OAuth grant kept here the other agents that used it.
 */
final class AgentPlan {
  /** A profile left out; {@code problem} false when leaving it out is the intended outcome. */
  record Skip(String profile, String reason, boolean problem) {}

  final String agent;
  final OpenClawImportException error;
  final List<MappedProfile> profiles = new ArrayList<>();
  final List<Skip> skipped = new ArrayList<>();
  final Map<String, List<ProfileId>> order = new LinkedHashMap<>();
  final Map<ProfileId, List<String>> alsoUsedBy = new LinkedHashMap<>();
  AuthState state = AuthState.EMPTY;

  AgentPlan(String agent, OpenClawImportException error) {
    this.agent = agent;
    this.error = error;
  }
}
