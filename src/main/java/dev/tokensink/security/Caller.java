package dev.tokensink.security;

import dev.tokensink.model.AgentId;
import java.util.Set;

/**
 * Who is calling, as established by the transport: a configured caller (bearer token or client
 * certificate), or a local peer when no callers are configured (loopback) or the call came through
 * the Unix socket, whose file mode is the access control.
 *
 * @param id the caller id used in audit lines and stream limits
 * @param agents the agents it may use; null means every agent
 */
public record Caller(String id, Set<AgentId> agents) {
  public Caller {
    agents = agents == null ? null : Set.copyOf(agents);
  }

  /** A peer trusted by where it connects from; sees every agent. */
  public static Caller local(String id) {
    return new Caller(id, null);
  }

  public boolean mayUse(AgentId agent) {
    return agents == null || agents.contains(agent);
  }
}
