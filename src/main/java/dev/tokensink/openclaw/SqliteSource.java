package dev.tokensink.openclaw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.store.StoreException;
import dev.tokensink.store.StoreJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Reads the credential rows of OpenClaw 2026.6+ (docs/openclaw-sqlite.md): the shared base in
 * {@code state/openclaw.sqlite} ({@code config_machine_state}) and an agent's own rows in {@code
 * agents/<id>/agent/openclaw-agent.sqlite} ({@code auth_profile_store}/{@code auth_profile_state},
 * row {@code primary}). Each database is read through a {@link SqliteSnapshot}.
 */
final class SqliteSource {
  /** Highest schemas understood: OpenClaw 2026.9.6 writes agent 23, state 18. */
  static final int MAX_AGENT_SCHEMA = 23;

  static final int MAX_STATE_SCHEMA = 18;

  /** The shared base and who holds it ({@code state-db} or {@code legacy-main}). */
  record SharedBase(RawStore store, boolean legacyMain) {}

  private final int attempts;
  private final SqliteSnapshot.Hook hook;

  SqliteSource(int attempts, SqliteSnapshot.Hook hook) {
    this.attempts = attempts;
    this.hook = hook;
  }

  SharedBase readStateDb(Path db, String label) {
    try (SqliteSnapshot s = SqliteSnapshot.open(db, label, attempts, hook)) {
      Connection c = s.connection();
      checkSchema(c, label, MAX_STATE_SCHEMA, "config_machine_state");
      String holder =
          value(
              c,
              "select value_json from config_machine_state where state_key = ?",
              "auth.sharedStore");
      // absent means legacy-main (the shape before auth.sharedStore existed)
      boolean legacyMain =
          holder == null
              || "legacy-main"
                  .equals(parse(holder, label + " auth.sharedStore").path("location").asText());
      String store =
          value(
              c,
              "select value_json from config_machine_state where state_key = ?",
              "authProfiles.store");
      String state =
          value(
              c,
              "select value_json from config_machine_state where state_key = ?",
              "authProfiles.state");
      return new SharedBase(
          raw(
              store,
              state,
              label + " config_machine_state['authProfiles.store']",
              label + " config_machine_state['authProfiles.state']",
              label),
          legacyMain);
    } catch (SQLException e) {
      throw SqliteErrors.translate(e, label);
    }
  }

  RawStore readAgentDb(Path db, String label) {
    try (SqliteSnapshot s = SqliteSnapshot.open(db, label, attempts, hook)) {
      Connection c = s.connection();
      checkSchema(c, label, MAX_AGENT_SCHEMA, "auth_profile_store");
      String store =
          value(c, "select store_json from auth_profile_store where store_key = ?", "primary");
      String state =
          hasTable(c, "auth_profile_state")
              ? value(c, "select state_json from auth_profile_state where state_key = ?", "primary")
              : null;
      return raw(
          store,
          state,
          label + " auth_profile_store['primary']",
          label + " auth_profile_state['primary']",
          label);
    } catch (SQLException e) {
      throw SqliteErrors.translate(e, label);
    }
  }

  private static void checkSchema(Connection c, String label, int max, String table)
      throws SQLException {
    int version;
    try (Statement st = c.createStatement();
        ResultSet r = st.executeQuery("PRAGMA user_version")) {
      version = r.next() ? r.getInt(1) : 0;
    }
    if (version > max) {
      throw OpenClawImportException.badInput(
          "database "
              + label
              + " has schema version "
              + version
              + ", newer than this tokensink understands ("
              + max
              + ", OpenClaw 2026.9.6); update tokensink");
    }
    if (!hasTable(c, table)) {
      throw OpenClawImportException.badInput(
          "database "
              + label
              + " has no table "
              + table
              + " (schema version "
              + version
              + "); it is not an OpenClaw credential database");
    }
  }

  private static boolean hasTable(Connection c, String table) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select 1 from sqlite_master where type = 'table' and name = ?")) {
      ps.setString(1, table);
      try (ResultSet r = ps.executeQuery()) {
        return r.next();
      }
    }
  }

  private static String value(Connection c, String sql, String key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, key);
      try (ResultSet r = ps.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  private static RawStore raw(
      String store, String state, String storeLabel, String stateLabel, String label) {
    ObjectNode profiles = StoreJson.MAPPER.createObjectNode();
    if (store != null) {
      JsonNode p = parse(store, storeLabel).get("profiles");
      if (p != null && !p.isNull() && !p.isObject()) {
        throw OpenClawImportException.badInput(
            storeLabel + " has a \"profiles\" field that is not an object");
      }
      if (p != null && p.isObject()) {
        profiles = (ObjectNode) p;
      }
    }
    ObjectNode stateNode =
        state == null ? StoreJson.MAPPER.createObjectNode() : parse(state, stateLabel);
    return new RawStore(profiles, stateNode, label);
  }

  private static ObjectNode parse(String json, String label) {
    try {
      return (ObjectNode) StoreJson.parse(json.getBytes(StandardCharsets.UTF_8), label);
    } catch (StoreException e) {
      throw OpenClawImportException.badInput(
          e.getMessage()
              .replace(
                  "; fix or move the file aside (tokensink never overwrites it)",
                  "; OpenClaw's own data is left as it is"));
    }
  }
}
