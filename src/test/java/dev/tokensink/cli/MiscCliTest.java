package dev.tokensink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.cli.CliHarness.Result;
import org.junit.jupiter.api.Test;

/** Help, version, {@code serve} through the plain entry point, the state dir from the environment. */
class MiscCliTest {
  final CliHarness cli = CliHarness.fresh("2026-05-01T12:00:00Z");

  @Test
  void helpAndVersion_exit0() {
    Result help = cli.runRaw(java.io.InputStream.nullInputStream(), "--help");
    assertEquals(0, help.exit(), help.toString());
    for (String c : new String[] {"serve", "agents", "models", "profiles", "import", "doctor", "store"}) {
      assertTrue(help.out().contains(c), c + " in help: " + help.out());
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
    Result r = cli.run("store", "export", "--to-state-dir", cli.stateDir.resolve("backup").toString());
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("pass --plaintext"), r.err());
  }
}
