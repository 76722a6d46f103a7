package dev.tokensink.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokensink.testing.ProxyProfile;
import dev.tokensink.testing.ProxyTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The proxy on its Unix socket ({@code tokensink.proxy.socket}): the socket is 0600, and a request
 * without a caller token is served as a local caller although callers are configured for TCP.
 */
@QuarkusTest
@TestProfile(ProxyProfile.class)
class ProxySocketTest extends ProxyTestBase {

  @Test
  void unixSocket_mode0600_localCallerWithoutToken() throws Exception {
    store("u1", apiKey("openai:default", "sk-proj-socket-key-77aa01"));
    Path socket = Path.of(proxy.settings().socket());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    try {
      HttpClient client = vertx.createHttpClient();
      RequestOptions o =
          new RequestOptions()
              .setServer(SocketAddress.domainSocketAddress(socket.toString()))
              .setHost("localhost")
              .setURI("/u1/openai/v1/chat/completions")
              .setMethod(HttpMethod.POST)
              .putHeader("content-type", "application/json");
      Buffer body =
          client
              .request(o)
              .compose(r -> r.send("{\"model\":\"gpt-4o-mini\"}"))
              .compose(
                  (HttpClientResponse r) -> {
                    assertEquals(200, r.statusCode());
                    return r.body();
                  })
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      assertEquals(true, body.toString().contains("Hello from upstream"));
      assertEquals("Bearer sk-proj-socket-key-77aa01", upstream.last().header("authorization"));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
