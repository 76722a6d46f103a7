package dev.tokensink.broker;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.Profile;
import dev.tokensink.model.Secret;

/** What GetCredential hands out: the chosen profile and its usable secret. */
public record Served(
    AgentId agent, Profile profile, Secret secret, Long expiresAt, String accountId, String model) {
  @Override
  public String toString() {
    return "Served[" + agent + ", " + profile.id() + "]";
  }
}
