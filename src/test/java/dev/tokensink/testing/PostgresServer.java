package dev.tokensink.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real, throwaway PostgreSQL cluster for tests: {@code initdb} + {@code pg_ctl start} on a temp
 * dir and a free port on 127.0.0.1, trust authentication, stopped ({@code pg_ctl stop -m
 * immediate}) and deleted at the end. As root, the binaries run as the {@code postgres} OS user
 * (the server refuses root) and the temp dir belongs to that user.
 *
 * <p>As a JUnit 5 extension ({@code @ExtendWith(PostgresServer.class)}) it injects one cluster
 * shared by every test class of the JVM, started on first use and stopped after the last test.
 * {@link #startNew()} gives a private cluster (for tests that stop and restart the server).
 *
 * <p>The binaries are found under {@code /usr/lib/postgresql/<version>/bin} (newest version), or in
 * {@code $PG_BIN}. Without them the test fails with a message saying what to install; it is never
 * skipped.
 */
public final class PostgresServer
    implements ParameterResolver, AutoCloseable, ExtensionContext.Store.CloseableResource {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgres;

  private PostgresServer(Path bin, Path dir, int port, boolean asPostgres) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgres = asPostgres;
  }

  /** For JUnit only; tests get the shared cluster as a parameter. */
  public PostgresServer() {
    this(null, null, 0, false);
  }

  /** Starts a private cluster; the caller closes it. */
  public static PostgresServer startNew() {
    try {
      Path bin = findBinaries();
      boolean root = "root".equals(System.getProperty("user.name"));
      Path dir = Files.createTempDirectory("tokensink-pg-");
      PostgresServer server = new PostgresServer(bin, dir, freePort(), root);
      if (root) {
        UserPrincipal pg =
            dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        Files.setOwner(dir, pg);
      }
      server.run(
          List.of(
              bin.resolve("initdb").toString(),
              "-D",
              server.data(),
              "-A",
              "trust",
              "-U",
              "postgres",
              "-E",
              "UTF8",
              "--no-sync",
              "--no-instructions"));
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a throwaway PostgreSQL cluster", e);
    }
  }

  private static Path findBinaries() throws IOException {
    String env = System.getenv("PG_BIN");
    if (env != null && Files.isExecutable(Path.of(env, "initdb"))) {
      return Path.of(env);
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        List<Path> found =
            versions
                .map(v -> v.resolve("bin"))
                .filter(
                    b ->
                        Files.isExecutable(b.resolve("initdb"))
                            && Files.isExecutable(b.resolve("pg_ctl")))
                .sorted(Comparator.comparingInt(PostgresServer::majorVersion).reversed())
                .toList();
        if (!found.isEmpty()) {
          return found.get(0);
        }
      }
    }
    throw new IllegalStateException(
        "PostgreSQL server binaries not found: no initdb under /usr/lib/postgresql/*/bin "
            + "and PG_BIN is not set. Install them (Debian/Ubuntu: apt-get install postgresql-15); "
            + "these tests need a real server and are never skipped.");
  }

  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private String data() {
    return dir.resolve("data").toString();
  }

  /**
   * Starts (or restarts after {@link #stop}) the server on the same port; waits until it accepts.
   */
  public void start() {
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data(),
            "-l",
            dir.resolve("server.log").toString(),
            "-w",
            "-t",
            "60",
            "-o",
            "-p "
                + port
                + " -k "
                + dir
                + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            "start"));
  }

  /** Stops the server at once (like a crash: {@code -m immediate}). */
  public void stop() {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "-m", "immediate", "-w", "stop"));
  }

  public int port() {
    return port;
  }

  /** JDBC URL of a database on this server. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /**
   * Creates a fresh, empty database and returns its JDBC URL (user {@code postgres}, no password).
   */
  public String newDatabase() {
    String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return url(name);
  }

  private void run(List<String> command) {
    List<String> cmd = new ArrayList<>();
    if (asPostgres) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(command);
    try {
      Path log = Files.createTempFile("tokensink-pg-cmd-", ".log");
      try {
        Process p =
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("timed out: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
          throw new IllegalStateException(
              "failed (exit "
                  + p.exitValue()
                  + "): "
                  + String.join(" ", cmd)
                  + "\n"
                  + Files.readString(log, StandardCharsets.UTF_8)
                  + serverLog());
        }
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
    }
  }

  private String serverLog() {
    try {
      Path log = dir.resolve("server.log");
      return Files.exists(log)
          ? "\nserver.log:\n" + Files.readString(log, StandardCharsets.UTF_8)
          : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Stops the server and deletes its directory. */
  @Override
  public void close() {
    if (dir == null) {
      return;
    }
    try {
      stop();
    } catch (RuntimeException e) {
      // already stopped (a test stopped it); the directory still goes
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
    return p.getParameter().getType() == PostgresServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
    // The root store lives as long as the test run: one cluster per JVM, closed after the last
    // test.
    return ctx.getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(PostgresServer.class, k -> startNew(), PostgresServer.class);
  }
}
