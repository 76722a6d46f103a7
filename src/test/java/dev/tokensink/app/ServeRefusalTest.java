package dev.tokensink.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.cli.Cli;
import dev.tokensink.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tokensink serve} (its real entry point, in a child JVM) refuses unsafe start-ups before it
 * binds anything, with exit code 2 and a message saying what to do; {@code doctor} warns about the
 * same state dir.
 */
class ServeRefusalTest {
  @TempDir Path dir;

  private record Run(int exit, String output) {}

  private static Run serve(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path")));
    List<String> props = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (String a : args) {
      (a.startsWith("-D") ? props : rest).add(a);
    }
    cmd.addAll(props);
    cmd.add(ServeMain.class.getName());
    cmd.add("serve");
    cmd.addAll(rest);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("serve did not stop");
    }
    return new Run(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private Path worldReadableStateDir() throws Exception {
    Path agent = Files.createDirectories(dir.resolve("state/agents/main/agent"));
    Files.writeString(agent.resolve("auth-profiles.json"), "{\"version\":1,\"profiles\":{}}");
    Files.setPosixFilePermissions(
        dir.resolve("state"), PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir.resolve("state");
  }

  @Test
  void worldReadableStateDir_serveRefuses_exit2() throws Exception {
    Path state = worldReadableStateDir();
    Run r = serve("--state-dir", state.toString());
    assertEquals(2, r.exit(), r.output());
    assertTrue(
        r.output().contains("refusing to start")
            && r.output().contains("other users can read or change")
            && r.output().contains("--allow-insecure-state-dir"),
        r.output());
  }

  @Test
  void badCooldownValues_serveRefuses_exit2_namingTheKey() throws Exception {
    Path state = Files.createDirectories(dir.resolve("cooldown"));
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
    String[][] cases = {
      {"-Dtokensink.cooldown.rate-limit.initial=-30s", "tokensink.cooldown.rate-limit.initial"},
      {
        "-Dtokensink.cooldown.usage-limit.probe-interval=0s",
        "tokensink.cooldown.usage-limit.probe-interval"
      },
      {"-Dtokensink.cooldown.billing.initial=soon", "tokensink.cooldown.billing.initial"},
      {
        "-Dtokensink.cooldown.rate-limit.max=10s",
        "tokensink.cooldown.rate-limit.max (10s) is below"
      },
    };
    for (String[] c : cases) {
      Run r = serve(c[0], "--state-dir", state.toString());
      assertEquals(2, r.exit(), c[0] + ": " + r.output());
      assertTrue(
          r.output().contains("refusing to start") && r.output().contains(c[1]),
          c[0] + ": " + r.output());
    }
  }

  @Test
  void worldReadableStateDir_doctorWarns_exit1() throws Exception {
    Path state = worldReadableStateDir();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    int exit =
        Main.run(
            new Cli(
                new ByteArrayInputStream(new byte[0]), ps, ps, Map.of(), Clock.systemUTC(), false),
            "doctor",
            "--offline",
            "--state-dir",
            state.toString());
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(1, exit, text);
    assertTrue(
        text.contains("FAIL  " + state + " is readable or writable by others (rwxr-xr-x)"), text);
  }

  @Test
  void nonLoopbackWithoutCallers_andSocketInMissingDir_serveRefuses_exit2() throws Exception {
    Path state = Files.createDirectories(dir.resolve("private"));
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
    Path socket = dir.resolve("missing/tokensink.sock");
    Run r =
        serve(
            "-Dtokensink.grpc.host=0.0.0.0",
            "-Dtokensink.grpc.socket=" + socket,
            "--state-dir",
            state.toString());
    assertEquals(2, r.exit(), r.output());
    assertTrue(
        r.output()
            .contains(
                "the gRPC address 0.0.0.0 is not a loopback address and no callers are configured"),
        r.output());
    assertTrue(
        r.output()
            .contains("the directory " + socket.getParent() + " of " + socket + " does not exist"),
        r.output());
  }
}
