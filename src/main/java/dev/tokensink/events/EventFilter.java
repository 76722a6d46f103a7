package dev.tokensink.events;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProviderId;
import java.util.Set;

/**
 * Which events a subscriber sees.
 *
 * @param allowedAgents the agents the caller may see; null means every agent
 * @param agent one agent asked for, null for all allowed ones
 * @param provider one provider asked for, null for all
 */
public record EventFilter(Set<AgentId> allowedAgents, AgentId agent, ProviderId provider) {
  public static final EventFilter ALL = new EventFilter(null, null, null);

  public EventFilter {
    allowedAgents = allowedAgents == null ? null : Set.copyOf(allowedAgents);
  }

  public boolean matches(AgentId a, ProviderId p) {
    return (allowedAgents == null || allowedAgents.contains(a))
        && (agent == null || agent.equals(a))
        && (provider == null || provider.equals(p));
  }

  public boolean matches(LifecycleEvent e) {
    return matches(e.agent(), e.provider());
  }
}
