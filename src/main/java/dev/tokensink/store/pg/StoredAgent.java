package dev.tokensink.store.pg;

import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.ProfileId;
import java.util.Map;

/**
 * One agent as it stands committed in the database, with the fencing version of each row: the
 * baseline that the next write compares against ({@code UPDATE … WHERE version = ?}).
 *
 * @param stateVersion version of the agent's state row, 0 when there is none yet
 */
record StoredAgent(
    AgentSnapshot snapshot,
    Map<ProfileId, Row> profiles,
    Map<String, Row> order,
    long stateVersion) {

  /** The version and position of one profile or order row. */
  record Row(long version, int position) {}

  StoredAgent {
    profiles = Map.copyOf(profiles);
    order = Map.copyOf(order);
  }

  /** The fencing version of one profile; 0 when it is not stored. */
  long versionOf(ProfileId id) {
    Row r = profiles.get(id);
    return r == null ? 0 : r.version();
  }
}
