package dev.tokensink.oauth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The loopback HTTP server that receives the browser's redirect (RFC 8252 §7.3). Always bound to a
 * loopback address, even when the redirect URI says {@code localhost}. Other paths → 404; a wrong
 * or missing state, or no code → 400, and the login keeps waiting (a stale tab of an earlier
 * attempt must not end this one); {@code error=…} with our state ends the login. The browser's
 * request is answered once the code exchange is done, so the page tells the truth.
 */
final class LoopbackCallback implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService pool;
  private final String path;
  private final String expectedState;
  private final CompletableFuture<AuthCode> result = new CompletableFuture<>();
  private final CompletableFuture<String> outcome = new CompletableFuture<>();
  private final CountDownLatch pageSent = new CountDownLatch(1);
  private volatile String lastRejection;

  private LoopbackCallback(URI redirect, String expectedState) throws IOException {
    this.path =
        redirect.getPath() == null || redirect.getPath().isEmpty() ? "/" : redirect.getPath();
    this.expectedState = expectedState;
    int port = redirect.getPort() > 0 ? redirect.getPort() : 80;
    server = HttpServer.create(new InetSocketAddress(loopback(redirect.getHost()), port), 0);
    pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "tokensink-login-callback");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Binds the redirect URI's port; {@link java.net.BindException} when it is in use. */
  static LoopbackCallback bind(URI redirect, String expectedState) throws IOException {
    return new LoopbackCallback(redirect, expectedState);
  }

  /** Completes with the code, or exceptionally with the provider's refusal. */
  CompletableFuture<AuthCode> result() {
    return result;
  }

  /** Why the last callback was rejected with 400, or null. */
  String lastRejection() {
    return lastRejection;
  }

  /** Tells the waiting browser how the login ended: null for success, else a short reason. */
  void finish(String failure) {
    outcome.complete(failure == null ? "" : failure);
  }

  @Override
  public void close() {
    outcome.complete("The login has ended.");
    if (result.isDone() && !result.isCompletedExceptionally()) {
      // Race: the handler may still be writing the final page; stopping the server now would reset
      // the browser's connection. Give it a moment.
      try {
        pageSent.await(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    server.stop(0);
    pool.shutdownNow();
  }

  private void handle(HttpExchange ex) {
    try (ex) {
      if (!"GET".equals(ex.getRequestMethod()) || !path.equals(ex.getRequestURI().getPath())) {
        send(
            ex, 404, "Not found", "This is tokensink's sign-in callback; nothing else lives here.");
        return;
      }
      Map<String, String> q = PastedAuth.query(ex.getRequestURI().getRawQuery());
      String state = q.get("state");
      if (result.isDone()) {
        send(ex, 400, "Already answered", "This login already received its answer.");
      } else if (state == null ? q.get("error") == null : !state.equals(expectedState)) {
        lastRejection = "a callback with a wrong or missing state was refused";
        send(
            ex,
            400,
            "State mismatch",
            "This page belongs to another login attempt. Use the URL of the newest login.");
      } else if (q.get("error") != null) {
        try {
          PastedAuth.fromParams(q, expectedState, "the callback");
        } catch (LoginException e) {
          // Answer before failing the login: the login then closes this server at once.
          try {
            send(ex, 200, "Sign-in failed", e.getMessage());
          } finally {
            result.completeExceptionally(e);
          }
        }
      } else if (q.get("code") == null || q.get("code").isBlank()) {
        lastRejection = "a callback without a code was refused";
        send(ex, 400, "No code", "The callback carries no authorization code.");
      } else {
        result.complete(new AuthCode(dev.tokensink.model.Secret.of(q.get("code")), state));
        String failure = outcome.get(2, TimeUnit.MINUTES);
        if (failure.isEmpty()) {
          send(ex, 200, "Signed in", "Signed in; you can close this tab.");
        } else {
          send(ex, 502, "Sign-in failed", failure);
        }
        pageSent.countDown();
      }
    } catch (Exception e) {
      pageSent.countDown();
    }
  }

  private static void send(HttpExchange ex, int status, String title, String text)
      throws IOException {
    String html =
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>tokensink: "
            + escape(title)
            + "</title></head><body><h1>"
            + escape(title)
            + "</h1><p>"
            + escape(text)
            + "</p></body></html>";
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static InetAddress loopback(String host) throws IOException {
    String h = host == null ? "" : host.toLowerCase(java.util.Locale.ROOT);
    if (h.equals("localhost") || h.equals("127.0.0.1")) {
      return InetAddress.getByName("127.0.0.1");
    }
    if (h.equals("[::1]") || h.equals("::1")) {
      return InetAddress.getByName("::1");
    }
    throw new IOException("the redirect URI's host " + host + " is not a loopback address");
  }
}
