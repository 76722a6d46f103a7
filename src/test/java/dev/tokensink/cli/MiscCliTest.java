package dev.tokensink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.cli.CliHarness.Result;
import org.junit.jupiter.api.Test;

/**
 * Help, version, {@code serve} through the plain entry point, the state dir from the environment.
 */
class MiscCliTest {
  final CliHarness cli = CliHarness.fresh("2026-05-01T12:00:00Z");

  @Test
  void helpAndVersion_exit0() {
    Result help = cli.runRaw(java.io.InputStream.nullInputStream(), "--help");
    assertEquals(0, help.exit(), help.toString());
    for (String c :
        new String[] {"serve", "agents", "models", "profiles", "import", "doctor", "store"}) {
      assertTrue(help.out().contains(c), c + " in help: " + help.out());
    }
    for (String[] sub :
        new String[][] {
          {"models", "status"},
          {"models", "auth", "login"},
          {"doctor"},
          {"agents", "list"},
          {"import", "openclaw"},
          {"models", "auth", "order", "set"}
        }) {
      String[] args = java.util.Arrays.copyOf(sub, sub.length + 1);
      args[sub.length] = "--help";
      Result r = cli.runRaw(java.io.InputStream.nullInputStream(), args);
      assertEquals(0, r.exit(), String.join(" ", args) + "\n" + r);
      assertTrue(r.out().startsWith("Usage: tokensink " + String.join(" ", sub)), r.out());
    }
    Result v = cli.runRaw(java.io.InputStream.nullInputStream(), "--version");
    assertEquals(0, v.exit());
    assertTrue(v.out().startsWith("tokensink "), v.out());
  }

  @Test
  void serve_viaThePlainEntryPoint_pointsAtTheLauncher() {
    Result r = cli.run("serve");
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("bin/tokensink serve"), r.err());
  }

  @Test
  void stateDir_fromTokensinkStateDirVariable() {
    cli.env.put("TOKENSINK_STATE_DIR", cli.stateDir.toString());
    Result r = cli.runRaw(java.io.InputStream.nullInputStream(), "agents", "add", "work");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(java.nio.file.Files.isDirectory(cli.stateDir.resolve("agents/work/agent")));
  }

  @Test
  void storeExport_withoutPlaintext_refused() {
    Result r =
        cli.run("store", "export", "--to-state-dir", cli.stateDir.resolve("backup").toString());
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("pass --plaintext"), r.err());
  }
}
