package dev.tokensink.openclaw;

import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Turns SQLite failures into messages a user can act on; never quotes database content. */
final class SqliteErrors {
  private SqliteErrors() {}

  static OpenClawImportException translate(SQLException e, String label) {
    SQLiteErrorCode code = e instanceof SQLiteException s ? s.getResultCode() : null;
    int primary = code == null ? e.getErrorCode() : code.code & 0xff;
    return switch (primary) {
      case 26 -> OpenClawImportException.badInput(label + " is not an SQLite database");
      case 11 ->
          OpenClawImportException.badInput(
              label
                  + " is damaged (truncated or corrupt); "
                  + "run `openclaw doctor` or import from a backup");
      case 5, 6 ->
          new OpenClawImportException(
              OpenClawImportException.Kind.BUSY,
              "database " + label + " is locked by a writer; stop OpenClaw or retry");
      default ->
          OpenClawImportException.badInput(
              label
                  + " cannot be read (SQLite error "
                  + (code == null ? String.valueOf(e.getErrorCode()) : code.name())
                  + ")");
    };
  }
}
