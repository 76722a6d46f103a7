package dev.tokensink.model;

/**
 * An isolated agent identity such as {@code main} or {@code work}: {@code
 * [a-z0-9][a-z0-9_-]{0,63}}.
 */
public record AgentId(String value) implements Comparable<AgentId> {
  public static final AgentId MAIN = new AgentId("main");

  public AgentId {
    Ids.require("agent id", Ids.AGENT, value);
  }

  public static AgentId of(String value) {
    return new AgentId(value);
  }

  @Override
  public int compareTo(AgentId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
