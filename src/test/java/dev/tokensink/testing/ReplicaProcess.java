package dev.tokensink.testing;

import dev.tokensink.api.v1.CredentialBrokerGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One tokensink replica: the packaged service ({@code target/quarkus-app/quarkus-run.jar}, built by
 * {@code package} before the integration tests run) in its own JVM, on free gRPC and HTTP ports,
 * configured with {@code -D} system properties. Its console log goes to a file under {@code
 * target/replica-logs/} (kept for post-mortems and scanned by tests for leaked secrets). {@link
 * #pause()} / {@link #resume()} send SIGSTOP / SIGCONT; {@link #close()} stops it.
 */
public final class ReplicaProcess implements AutoCloseable {
  private static final Path APP = Path.of(System.getProperty("test.app.dir", "target/quarkus-app"));
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final int grpcPort;
  private final int httpPort;
  private final Path log;
  private final ManagedChannel channel;

  private ReplicaProcess(String name, Process process, int grpcPort, int httpPort, Path log) {
    this.name = name;
    this.process = process;
    this.grpcPort = grpcPort;
    this.httpPort = httpPort;
    this.log = log;
    this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
  }

  /**
   * Starts a replica with these {@code tokensink.*} (or other) system properties; ports and an
   * empty state dir are added. Returns at once: use {@link #awaitReadiness}.
   */
  public static ReplicaProcess start(String name, Map<String, String> properties)
      throws IOException {
    return start(name, properties, Map.of());
  }

  /** As {@link #start(String, Map)}, with these variables added to the child's environment. */
  public static ReplicaProcess start(
      String name, Map<String, String> properties, Map<String, String> env) throws IOException {
    Path jar = APP.resolve("quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar.toAbsolutePath() + " is missing: integration tests run after `mvn package`");
    }
    int grpc = freePort();
    int http = freePort();
    Map<String, String> props = new TreeMap<>(properties);
    props.putIfAbsent(
        "tokensink.state-dir", Files.createTempDirectory("tokensink-replica-").toString());
    // a test may pin the ports (a restart on the same ports); else free ones
    props.putIfAbsent("tokensink.grpc.port", Integer.toString(grpc));
    props.putIfAbsent("tokensink.http.port", Integer.toString(http));
    grpc = Integer.parseInt(props.get("tokensink.grpc.port"));
    http = Integer.parseInt(props.get("tokensink.http.port"));
    props.putIfAbsent("tokensink.proxy.port", "0"); // the credential proxy on any free port
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
    props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.addAll(List.of("-jar", jar.toString(), "serve"));
    Path logs = Files.createDirectories(Path.of("target", "replica-logs"));
    Path log =
        logs.resolve(name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    return new ReplicaProcess(name, p, grpc, http, log);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public String name() {
    return name;
  }

  public int httpPort() {
    return httpPort;
  }

  public int grpcPort() {
    return grpcPort;
  }

  public long pid() {
    return process.pid();
  }

  public CredentialBrokerGrpc.CredentialBrokerBlockingStub broker() {
    return CredentialBrokerGrpc.newBlockingStub(channel);
  }

  public CredentialBrokerGrpc.CredentialBrokerStub async() {
    return CredentialBrokerGrpc.newStub(channel);
  }

  /** HTTP status of {@code /q/health/ready}; 0 when the HTTP port does not answer. */
  public int readiness() {
    return httpStatus("/q/health/ready");
  }

  /** HTTP status of a GET of {@code path} on the HTTP port; 0 when it does not answer. */
  public int httpStatus(String path) {
    try {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
              .timeout(Duration.ofSeconds(5))
              .build();
      return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** The body of a GET of {@code path} on the HTTP port; empty when it does not answer. */
  public String httpBody(String path) {
    try {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
              .timeout(Duration.ofSeconds(5))
              .build();
      return HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** Polls readiness until it answers {@code status}; returns how long that took. */
  public Duration awaitReadiness(int status, Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    int last;
    while ((last = readiness()) != status) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            name
                + ": readiness "
                + last
                + ", not "
                + status
                + " within "
                + timeout
                + ":\n"
                + tail());
      }
      Thread.sleep(50);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String sig) throws IOException, InterruptedException {
    // the shell's builtin kill: a fresh machine may lack procps' /bin/kill
    Process kill =
        new ProcessBuilder("sh", "-c", "kill -" + sig + " " + process.pid()).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + sig + " " + process.pid() + " failed");
    }
  }

  /** The whole console log so far. */
  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String tail() {
    String all = log();
    return all.length() <= 4000 ? all : all.substring(all.length() - 4000);
  }

  /** SIGTERM (a resumed process first), then SIGKILL after 10 s. */
  @Override
  public void close() {
    channel.shutdownNow();
    try {
      resume();
    } catch (IOException | InterruptedException | RuntimeException e) {
      // already gone
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + "[pid " + process.pid() + ", grpc " + grpcPort + ", http " + httpPort + "]";
  }
}
