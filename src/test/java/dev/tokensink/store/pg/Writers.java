package dev.tokensink.store.pg;

import dev.tokensink.model.AgentId;
import dev.tokensink.store.CredentialStore;

/** The contended workload: n read-modify-write updates, each adding one profile to the agent. */
final class Writers {
  private Writers() {}

  static void addProfiles(CredentialStore store, AgentId agent, String prefix, int n) {
    for (int i = 0; i < n; i++) {
      String id = "openrouter:" + prefix + "-" + i;
      store.update(
          agent,
          tx -> {
            tx.write(tx.current().withProfile(Samples.apiKey(id)));
            return null;
          });
    }
  }
}
