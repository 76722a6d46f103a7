package dev.tokensink.store.pg;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.store.StoreJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes the difference between a committed baseline and the next snapshot: only rows that changed.
 * Every update and delete is a compare-and-set on the row's fencing version ({@code … WHERE version
 * = ?}, row count checked) and every insert must not find the row, so a write based on a stale read
 * fails with {@link StaleWriteException} instead of overwriting newer data. The caller owns the
 * transaction: on an exception it rolls back, so a refused write leaves nothing behind. A write
 * that changed anything also queues {@code pg_notify('tokensink_changes', agent)}, which PostgreSQL
 * delivers at commit.
 */
final class AgentWriter {
  static final String CHANNEL = "tokensink_changes";

  private final KeyRing ring;

  AgentWriter(KeyRing ring) {
    this.ring = ring;
  }

  /** Persists {@code next} over {@code base}; returns the new baseline (versions as now stored). */
  StoredAgent persist(Connection c, StoredAgent base, AgentSnapshot next) throws SQLException {
    AgentId agent = next.agent();
    AgentSnapshot was = base.snapshot();
    boolean changed = false;
    Map<ProfileId, StoredAgent.Row> profiles = new LinkedHashMap<>();
    int pos = 0;
    for (Profile p : next.profiles().values()) {
      StoredAgent.Row old = base.profiles().get(p.id());
      long version = old == null ? 1 : old.version();
      if (old == null) {
        insertProfile(c, agent, p, pos);
        changed = true;
      } else if (old.position() != pos || !p.equals(was.profile(p.id()))) {
        updateProfile(c, agent, p, pos, old.version());
        version++;
        changed = true;
      }
      profiles.put(p.id(), new StoredAgent.Row(version, pos++));
    }
    for (Map.Entry<ProfileId, StoredAgent.Row> e : base.profiles().entrySet()) {
      if (!next.profiles().containsKey(e.getKey())) {
        check(
            exec(
                c,
                "DELETE FROM ts_profiles WHERE agent = ? AND profile_id = ? AND version = ?",
                agent.value(),
                e.getKey().toString(),
                e.getValue().version()),
            agent,
            "profile " + e.getKey(),
            e.getValue().version());
        changed = true;
      }
    }
    Map<String, StoredAgent.Row> order = new LinkedHashMap<>();
    pos = 0;
    for (Map.Entry<String, List<ProfileId>> e : next.order().entrySet()) {
      StoredAgent.Row old = base.order().get(e.getKey());
      String[] ids = e.getValue().stream().map(ProfileId::toString).toArray(String[]::new);
      long version = old == null ? 1 : old.version();
      if (old == null) {
        check(
            exec(
                c,
                "INSERT INTO ts_agent_order (agent, provider, position, profile_ids) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                agent.value(),
                e.getKey(),
                pos,
                c.createArrayOf("text", ids)),
            agent,
            "order of " + e.getKey(),
            0);
        changed = true;
      } else if (old.position() != pos || !e.getValue().equals(was.order().get(e.getKey()))) {
        check(
            exec(
                c,
                "UPDATE ts_agent_order SET position = ?, profile_ids = ?, version = version + 1 WHERE agent = ? AND provider = ? AND version = ?",
                pos,
                c.createArrayOf("text", ids),
                agent.value(),
                e.getKey(),
                old.version()),
            agent,
            "order of " + e.getKey(),
            old.version());
        version++;
        changed = true;
      }
      order.put(e.getKey(), new StoredAgent.Row(version, pos++));
    }
    for (Map.Entry<String, StoredAgent.Row> e : base.order().entrySet()) {
      if (!next.order().containsKey(e.getKey())) {
        check(
            exec(
                c,
                "DELETE FROM ts_agent_order WHERE agent = ? AND provider = ? AND version = ?",
                agent.value(),
                e.getKey(),
                e.getValue().version()),
            agent,
            "order of " + e.getKey(),
            e.getValue().version());
        changed = true;
      }
    }
    long stateVersion = base.stateVersion();
    if (stateVersion == 0
        || !next.state().equals(was.state())
        || !next.extra().equals(was.extra())) {
      String state = PgJson.text(StoreJson.stateJson(next));
      ObjectNode extraJson = StoreJson.MAPPER.createObjectNode();
      next.extra().forEach(extraJson::set);
      String extra = PgJson.text(SecretFields.sealExtra(ring, agent, extraJson));
      if (stateVersion == 0) {
        check(
            exec(
                c,
                "INSERT INTO ts_agent_state (agent, state, profiles_extra) VALUES (?, CAST(? AS jsonb), CAST(? AS jsonb)) ON CONFLICT DO NOTHING",
                agent.value(),
                state,
                extra),
            agent,
            "state",
            0);
      } else {
        check(
            exec(
                c,
                "UPDATE ts_agent_state SET state = CAST(? AS jsonb), profiles_extra = CAST(? AS jsonb), version = version + 1, updated_at = now() WHERE agent = ? AND version = ?",
                state,
                extra,
                agent.value(),
                stateVersion),
            agent,
            "state",
            stateVersion);
      }
      stateVersion++;
      changed = true;
    }
    if (changed) {
      exec(c, "SELECT pg_notify('" + CHANNEL + "', ?)", agent.value());
    }
    return new StoredAgent(next, profiles, order, stateVersion);
  }

  private void insertProfile(Connection c, AgentId agent, Profile p, int pos) throws SQLException {
    check(
        exec(
            c,
            "INSERT INTO ts_profiles (agent, profile_id, position, provider, type, profile) VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb)) ON CONFLICT DO NOTHING",
            agent.value(),
            p.id().toString(),
            pos,
            p.provider().value(),
            p.type().json(),
            json(agent, p)),
        agent,
        "profile " + p.id(),
        0);
  }

  private void updateProfile(Connection c, AgentId agent, Profile p, int pos, long expected)
      throws SQLException {
    // The fence: only the version this transaction read may be replaced.
    check(
        exec(
            c,
            "UPDATE ts_profiles SET position = ?, provider = ?, type = ?, profile = CAST(? AS jsonb), version = version + 1, updated_at = now() "
                + "WHERE agent = ? AND profile_id = ? AND version = ?",
            pos,
            p.provider().value(),
            p.type().json(),
            json(agent, p),
            agent.value(),
            p.id().toString(),
            expected),
        agent,
        "profile " + p.id(),
        expected);
  }

  private String json(AgentId agent, Profile p) {
    return PgJson.text(
        SecretFields.sealProfile(ring, agent, p.id().toString(), StoreJson.profileJson(p)));
  }

  private static void check(int rows, AgentId agent, String what, long expected) {
    if (rows != 1) {
      throw new StaleWriteException(
          "agent "
              + agent
              + " "
              + what
              + " changed in the database since it was read"
              + (expected == 0
                  ? " (it was created by another writer)"
                  : " (expected version " + expected + ")")
              + "; the write was refused so that newer data is not overwritten");
    }
  }

  private static int exec(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, Objects.requireNonNull(args[i]));
      }
      if (sql.startsWith("SELECT")) {
        ps.executeQuery().close();
        return 1;
      }
      return ps.executeUpdate();
    }
  }
}
