package dev.tokensink.cli;

import dev.tokensink.config.Settings;
import dev.tokensink.config.SettingsLoader;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.Stores;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;

/**
 * What a CLI run works with: its streams, environment and clock, and (opened on first use, closed
 * at the end) the settings and store of the state dir the command names.
 */
public final class Cli implements AutoCloseable {
  private final BufferedReader in;
  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private final Clock clock;
  private final boolean interactive;
  private Settings settings;
  private CredentialStore store;
  private String globalStateDir;
  private String globalAgent;

  public Cli(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    this(in, out, err, env, Clock.systemUTC(), System.console() != null);
  }

  public Cli(
      InputStream in,
      PrintStream out,
      PrintStream err,
      Map<String, String> env,
      Clock clock,
      boolean interactive) {
    this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    this.out = out;
    this.err = err;
    this.env = Map.copyOf(env);
    this.clock = clock;
    this.interactive = interactive;
  }

  public BufferedReader in() {
    return in;
  }

  public PrintStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }

  PrintWriter outWriter() {
    return new PrintWriter(out, true, StandardCharsets.UTF_8);
  }

  PrintWriter errWriter() {
    return new PrintWriter(err, true, StandardCharsets.UTF_8);
  }

  public Map<String, String> env() {
    return env;
  }

  public Clock clock() {
    return clock;
  }

  /** Whether a person is at a terminal (prompts are printed, the console hides pasted secrets). */
  public boolean interactive() {
    return interactive;
  }

  /** {@code --state-dir} given before the subcommand. */
  void globalStateDir(String value) {
    globalStateDir = value;
  }

  /** {@code --agent} given before the subcommand, or null. */
  String globalAgent() {
    return globalAgent;
  }

  void globalAgent(String value) {
    globalAgent = value;
  }

  /**
   * Settings for the state dir named by the flag (else one named before the subcommand, else
   * TOKENSINK_STATE_DIR, else ~/.tokensink).
   */
  public Settings settings(String stateDirFlag) {
    if (settings == null) {
      settings = SettingsLoader.load(stateDirFlag != null ? stateDirFlag : globalStateDir, env);
    }
    return settings;
  }

  public CredentialStore store(String stateDirFlag) {
    if (store == null) {
      store = Stores.open(settings(stateDirFlag), clock, env);
    }
    return store;
  }

  @Override
  public void close() {
    if (store != null) {
      store.close();
    }
    out.flush();
    err.flush();
  }

  /** Creates commands, handing them this run's {@link Cli} when they take one. */
  static final class Factory implements CommandLine.IFactory {
    private final Cli cli;

    Factory(Cli cli) {
      this.cli = cli;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        return cls.getDeclaredConstructor(Cli.class).newInstance(cli);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
    }
  }
}
