package dev.tokensink.proxy;

import dev.tokensink.broker.Broker;
import dev.tokensink.broker.OutcomeRecorder;
import dev.tokensink.config.Settings;
import dev.tokensink.metrics.CredentialMetrics;
import dev.tokensink.security.Callers;
import dev.tokensink.security.HandedOut;
import dev.tokensink.security.ServePolicy;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyOptions;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Starts the credential proxy with {@code serve} (docs/proxy.md): a Vert.x HTTP server on {@code
 * tokensink.proxy.host:port} (127.0.0.1:9092) and, when configured, one on the Unix socket {@code
 * tokensink.proxy.socket}, each handing requests to Vert.x' reverse proxy with {@link
 * CredentialProxy} as its interceptor. Refuses to start on a non-loopback address without callers.
 */
@Singleton
public class ProxyServer {
  private static final Logger LOG = Logger.getLogger(ProxyServer.class);

  private final ProxySettings settings;
  private final Vertx vertx;
  private final CredentialProxyFactory factory;
  private final int socketMode;
  private HttpServer tcp;
  private HttpClient tcpClient;
  private Vertx socketVertx;
  private Path socketPath;
  private int port = -1;

  ProxyServer(
      Vertx vertx,
      Broker broker,
      OutcomeRecorder outcomes,
      Callers callers,
      HandedOut handedOut,
      CredentialMetrics metrics,
      Settings config,
      Clock clock) {
    this.settings = ProxySettings.from(config);
    this.socketMode = config.grpc().socketMode().bits();
    this.vertx = vertx;
    Upstreams upstreams = Upstreams.of(settings.configured());
    this.factory =
        socket ->
            new CredentialProxy(
                broker,
                outcomes,
                upstreams,
                new ProxyCallers(callers, socket),
                settings,
                handedOut,
                metrics,
                clock);
    if (callers.isEmpty() && settings.port() >= 0 && !ServePolicy.isLoopback(settings.host())) {
      throw new IllegalStateException(
          "tokensink.proxy.host "
              + settings.host()
              + " is not a loopback address and no callers are configured: anyone who reaches it"
              + " could spend every credential. Configure tokensink.callers or bind the proxy to"
              + " 127.0.0.1");
    }
  }

  private interface CredentialProxyFactory {
    CredentialProxy create(boolean socket);
  }

  void start(@Observes @Priority(20) StartupEvent ev) throws Exception {
    if (!settings.enabled()) {
      return;
    }
    if (settings.port() >= 0) {
      tcpClient = client(vertx);
      HttpProxy proxy = proxy(tcpClient, factory.create(false));
      tcp =
          await(
              vertx
                  .createHttpServer(serverOptions())
                  .requestHandler(
                      r -> {
                        r.pause(); // the interceptor reads the body once it knows the caller
                        proxy.handle(r);
                      })
                  .listen(settings.port(), settings.host()));
      port = tcp.actualPort();
      LOG.infof("credential proxy on http://%s:%d/{agent}/{provider}/", settings.host(), port);
    }
    if (!settings.socket().isBlank()) {
      startSocket(Path.of(settings.socket()).toAbsolutePath().normalize());
    }
  }

  /**
   * Binds under a random name, sets the mode, then renames: the socket is never reachable with a
   * looser mode than configured (as the gRPC socket).
   */
  private void startSocket(Path path) throws Exception {
    Path dir = path.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "tokensink.proxy.socket: the directory " + dir + " does not exist; create it (0700)");
    }
    socketVertx =
        Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(2));
    if (!socketVertx.isNativeTransportEnabled()) {
      throw new IllegalStateException(
          "tokensink.proxy.socket needs Linux with epoll: "
              + socketVertx.unavailableNativeTransportCause());
    }
    if (Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path)) {
      Files.delete(path); // a socket left by a previous run
    }
    Path tmp = dir.resolve("." + path.getFileName() + "." + UUID.randomUUID() + ".tmp");
    HttpProxy proxy = proxy(client(socketVertx), factory.create(true));
    await(
        socketVertx
            .createHttpServer(serverOptions())
            .requestHandler(
                r -> {
                  r.pause();
                  proxy.handle(r);
                })
            .listen(SocketAddress.domainSocketAddress(tmp.toString())));
    Files.setPosixFilePermissions(
        tmp, PosixFilePermissions.fromString((socketMode & 0060) != 0 ? "rw-rw----" : "rw-------"));
    Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    socketPath = path;
    LOG.infof("credential proxy also on the Unix socket %s", path);
  }

  private HttpProxy proxy(HttpClient client, CredentialProxy interceptor) {
    HttpProxy proxy = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(false), client);
    proxy.origin(
        ctx -> ctx.client().request(ctx.get(CredentialProxy.TARGET, RequestOptions.class)));
    proxy.addInterceptor(interceptor);
    return proxy;
  }

  private HttpClient client(Vertx v) {
    return v.createHttpClient(
        new HttpClientOptions()
            .setKeepAlive(true)
            .setMaxPoolSize(512)
            .setConnectTimeout((int) settings.connectTimeout().toMillis())
            .setTryUseCompression(false)
            .setVerifyHost(true));
  }

  private static HttpServerOptions serverOptions() {
    return new HttpServerOptions().setCompressionSupported(false).setDecompressionSupported(false);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** The bound TCP port (the configured one, or the one picked for port 0); -1 when none. */
  public int port() {
    return port;
  }

  public ProxySettings settings() {
    return settings;
  }

  void stop(@Observes ShutdownEvent ev) {
    try {
      if (tcp != null) {
        await(tcp.close());
      }
      if (tcpClient != null) {
        tcpClient.close();
      }
      if (socketVertx != null) {
        await(socketVertx.close());
      }
      if (socketPath != null) {
        Files.deleteIfExists(socketPath);
      }
    } catch (IOException e) {
      LOG.debugf("proxy socket not removed: %s", e.getMessage());
    } catch (Exception e) {
      LOG.debugf("proxy stop: %s", e.getClass().getSimpleName());
    }
  }
}
