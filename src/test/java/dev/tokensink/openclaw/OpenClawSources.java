package dev.tokensink.openclaw;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Checksums source trees and builds OpenClaw-shaped databases for import tests (the checked-in
 * OpenClaw state dirs come from {@link dev.tokensink.testing.Fixtures}).
 */
final class OpenClawSources {
  private OpenClawSources() {}

  /**
   * Every file under {@code dir} (including -wal/-shm) → SHA-256; also catches files that appear.
   */
  static Map<String, String> checksums(Path dir) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.put(
            dir.relativize(p).toString(),
            HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** An agent database as OpenClaw 2026.9.6 lays it out (tables only; no other schema). */
  static void agentDb(Path db, String storeJson, String stateJson, int userVersion) {
    try (Connection c = open(db);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute(
          "create table auth_profile_store(store_key TEXT PRIMARY KEY, store_json TEXT, updated_at INTEGER)");
      s.execute(
          "create table auth_profile_state(state_key TEXT PRIMARY KEY, state_json TEXT, updated_at INTEGER)");
      s.execute("PRAGMA user_version = " + userVersion);
      insert(c, "insert into auth_profile_store values ('primary', ?, 1)", storeJson);
      insert(c, "insert into auth_profile_state values ('primary', ?, 1)", stateJson);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A state database with {@code config_machine_state} rows (key → JSON). */
  static void stateDb(Path db, Map<String, String> rows) {
    try (Connection c = open(db);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute(
          "create table config_machine_state(state_key TEXT PRIMARY KEY, value_json TEXT, updated_at_ms INTEGER)");
      s.execute("PRAGMA user_version = 18");
      for (Map.Entry<String, String> e : rows.entrySet()) {
        try (PreparedStatement ps =
            c.prepareStatement("insert into config_machine_state values (?, ?, 1)")) {
          ps.setString(1, e.getKey());
          ps.setString(2, e.getValue());
          ps.executeUpdate();
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static Connection open(Path db) throws SQLException {
    try {
      Files.createDirectories(db.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return DriverManager.getConnection("jdbc:sqlite:" + db);
  }

  private static void insert(Connection c, String sql, String json) throws SQLException {
    if (json == null) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, json);
      ps.executeUpdate();
    }
  }
}
