package dev.tokensink.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run behind the CLI's class-data sharing archive: {@code bin/tokensink} runs this
 * once with {@code -XX:ArchiveClassesAtExit} (on first use, and again when the jars change), and
 * every later CLI run maps the classes it loaded instead of loading, verifying and linking them
 * again. It runs the common commands in-process against a throwaway state dir (never the user's),
 * with no environment, no network and all output discarded.
 */
public final class CdsTraining {
  private CdsTraining() {}

  /** The commands the archive is trained on; {@code DIR} stands for the throwaway state dir. */
  static final String[][] COMMANDS = {
    {"--version"},
    {"--help"},
    {"agents", "list", "--state-dir", "DIR"},
    {"agents", "add", "work", "--state-dir", "DIR"},
    {
      "models",
      "auth",
      "add-key",
      "--provider",
      "openrouter",
      "--agent",
      "work",
      "--state-dir",
      "DIR"
    },
    {"models", "status", "--state-dir", "DIR"},
    {"models", "status", "--json", "--state-dir", "DIR"},
    {"models", "status", "--check", "--agent", "main", "--state-dir", "DIR"},
    {"models", "status", "--agent", "nobody", "--state-dir", "DIR"},
    {"models", "auth", "order", "get", "--provider", "anthropic", "--state-dir", "DIR"},
    {"profiles", "list", "--state-dir", "DIR"},
    {"models", "status", "--help"},
    // loads the gRPC client classes; port 1 on loopback refuses at once (no network)
    {"secrets", "resolve", "--state-dir", "DIR", "--service", "127.0.0.1:1", "--timeout", "2s"},
  };

  public static void main(String[] args) throws IOException {
    Path dir =
        Files.createTempDirectory(
            "tokensink-cds-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    try {
      Path agent = Files.createDirectories(dir.resolve("agents/main/agent"));
      Files.writeString(agent.resolve("auth-profiles.json"), SAMPLE, StandardCharsets.UTF_8);
      PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true);
      for (String[] command : COMMANDS) {
        String[] a = command.clone();
        for (int i = 0; i < a.length; i++) {
          a[i] = a[i].equals("DIR") ? dir.toString() : a[i];
        }
        byte[] stdin =
            (a[0].equals("secrets")
                    ? "{\"protocolVersion\":1,\"provider\":\"tokensink\",\"ids\":[\"main/openrouter\"]}"
                    : "sk-or-v1-training-0000000000000000\n")
                .getBytes(StandardCharsets.UTF_8);
        Main.run(
            new Cli(
                new ByteArrayInputStream(stdin), sink, sink, Map.of(), Clock.systemUTC(), false),
            a);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** One profile of each type, in the OpenClaw layout (docs/rules.md §1); made-up secrets. */
  private static final String SAMPLE =
      """
      {
        "version": 1,
        "profiles": {
          "anthropic:default": { "type": "api_key", "provider": "anthropic",
            "key": "sk-ant-api03-training-0000000000000000" },
          "anthropic:work": { "type": "token", "provider": "anthropic",
            "token": "sk-ant-oat01-training-0000000000000000" },
          "openai-codex:me": { "type": "oauth", "provider": "openai-codex",
            "access": "training-access", "refresh": "training-refresh",
            "expires": 4102444800000, "accountId": "acct-training" }
        },
        "order": { "anthropic": ["anthropic:work", "anthropic:default"] },
        "usageStats": { "anthropic:work": { "lastUsed": 1 } }
      }
      """;
}
