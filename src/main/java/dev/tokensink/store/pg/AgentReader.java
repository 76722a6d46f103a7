package dev.tokensink.store.pg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.AuthState;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.store.StoreException;
import dev.tokensink.store.StoreJson;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one agent's rows into a {@link StoredAgent}, decrypting secrets and decoding JSON with the
 * file codec ({@link StoreJson}), so the PostgreSQL store and the file store agree on every field.
 * The caller provides the transaction: under the agent lock for an update, a repeatable-read
 * snapshot for a plain read.
 */
final class AgentReader {
  private final KeyRing ring;

  AgentReader(KeyRing ring) {
    this.ring = ring;
  }

  Optional<StoredAgent> load(Connection c, AgentId agent) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ts_agents WHERE agent = ?")) {
      ps.setString(1, agent.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
      }
    }
    Map<ProfileId, Profile> profiles = new LinkedHashMap<>();
    Map<ProfileId, StoredAgent.Row> profileRows = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT profile_id, position, profile::text, version FROM ts_profiles WHERE agent = ? ORDER BY position, profile_id")) {
      ps.setString(1, agent.value());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Profile p = profile(agent, rs.getString(1), rs.getString(3));
          profiles.put(p.id(), p);
          profileRows.put(p.id(), new StoredAgent.Row(rs.getLong(4), rs.getInt(2)));
        }
      }
    }
    Map<String, List<ProfileId>> order = new LinkedHashMap<>();
    Map<String, StoredAgent.Row> orderRows = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT provider, position, profile_ids, version FROM ts_agent_order WHERE agent = ? ORDER BY position, provider")) {
      ps.setString(1, agent.value());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          order.put(rs.getString(1), ids(rs.getArray(3)));
          orderRows.put(rs.getString(1), new StoredAgent.Row(rs.getLong(4), rs.getInt(2)));
        }
      }
    }
    AuthState state = AuthState.EMPTY;
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    long stateVersion = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT state::text, profiles_extra::text, version FROM ts_agent_state WHERE agent = ?")) {
      ps.setString(1, agent.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          ObjectNode stateJson = PgJson.parse(rs.getString(1), "state of agent " + agent);
          state =
              StoreJson.parseAgent(agent, StoreJson.MAPPER.createObjectNode(), stateJson).state();
          SecretFields.openExtra(
                  ring, agent, PgJson.parse(rs.getString(2), "extra fields of agent " + agent))
              .fields()
              .forEachRemaining(e -> extra.put(e.getKey(), e.getValue()));
          stateVersion = rs.getLong(3);
        }
      }
    }
    AgentSnapshot snapshot = new AgentSnapshot(agent, profiles, order, state, extra);
    return Optional.of(new StoredAgent(snapshot, profileRows, orderRows, stateVersion));
  }

  private Profile profile(AgentId agent, String id, String json) {
    ObjectNode stored = PgJson.parse(json, "agent " + agent + " profile " + id);
    try {
      return StoreJson.parseProfile(id, SecretFields.openProfile(ring, agent, id, stored));
    } catch (IllegalArgumentException e) {
      // the codec's messages are secret-free
      throw new StoreException(
          "agent " + agent + " profile " + id + " in PostgreSQL cannot be read: " + e.getMessage());
    }
  }

  private static List<ProfileId> ids(Array array) throws SQLException {
    List<ProfileId> out = new ArrayList<>();
    for (Object o : (Object[]) array.getArray()) {
      out.add(ProfileId.parse((String) o));
    }
    return out;
  }
}
