package dev.tokensink.store.pg;

import dev.tokensink.model.AgentId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Looks at the tables directly, as an operator with psql would. */
final class PgRows {
  private PgRows() {}

  static long profileVersion(String url, AgentId agent, String profileId) throws SQLException {
    return Long.parseLong(
        one(
            url,
            "SELECT version FROM ts_profiles WHERE agent = ? AND profile_id = ?",
            agent.value(),
            profileId));
  }

  static String profileJson(String url, AgentId agent, String profileId) throws SQLException {
    return one(
        url,
        "SELECT profile::text FROM ts_profiles WHERE agent = ? AND profile_id = ?",
        agent.value(),
        profileId);
  }

  static String allText(String url, AgentId agent) throws SQLException {
    return one(
        url,
        "SELECT coalesce((SELECT string_agg(profile::text, ' ') FROM ts_profiles WHERE agent = ?), '') || ' '"
            + " || (SELECT profiles_extra::text FROM ts_agent_state WHERE agent = ?)",
        agent.value(),
        agent.value());
  }

  static String one(String url, String sql, String... args) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new AssertionError("no row for " + sql);
        }
        return rs.getString(1);
      }
    }
  }

  static void exec(String url, String sql, String... args) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      ps.execute();
    }
  }
}
