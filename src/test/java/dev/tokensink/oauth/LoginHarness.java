package dev.tokensink.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tokensink.testing.InMemoryStore;
import dev.tokensink.testing.LineCapture;
import dev.tokensink.testing.MutableClock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a {@link LoginFlow} on a background thread and plays the person: browser and keyboard. */
final class LoginHarness {
  static final HttpClient BROWSER =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  /** One running login: its exit code, its output, and the keyboard (stdin). */
  record Login(CompletableFuture<Integer> exit, LineCapture out, PipedWriter keyboard) {
    String authorizeUrl() throws InterruptedException {
      String url = out.awaitLineStartingWith("http", Duration.ofSeconds(10));
      assertNotNull(url, "no authorize URL printed: " + out.text());
      return url;
    }

    int exitCode() throws Exception {
      return exit.get(30, TimeUnit.SECONDS);
    }

    void paste(String line) throws IOException {
      keyboard.write(line + "\n");
      keyboard.flush();
      keyboard.close();
    }
  }

  private LoginHarness() {}

  static Login start(LoginFlow flow, String provider, String profile, boolean noBrowser)
      throws IOException {
    PipedWriter keyboard = new PipedWriter();
    BufferedReader stdin = new BufferedReader(new PipedReader(keyboard));
    return start(flow, provider, profile, noBrowser, stdin, keyboard);
  }

  /** A login whose stdin is closed (not a terminal, nothing to read). */
  static Login startClosedStdin(LoginFlow flow, String provider) {
    return start(flow, provider, null, false, new BufferedReader(new StringReader("")), null);
  }

  private static Login start(
      LoginFlow flow,
      String provider,
      String profile,
      boolean noBrowser,
      BufferedReader stdin,
      PipedWriter keyboard) {
    LineCapture out = new LineCapture();
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> flow.run(provider, "main", profile, noBrowser, stdin, out.stream()));
    return new Login(exit, out, keyboard);
  }

  static LoginFlow flow(
      Providers providers,
      InMemoryStore store,
      MutableClock clock,
      Duration timeout,
      boolean terminal,
      Duration requestTimeout) {
    LoginOptions options =
        new LoginOptions(timeout, BrowserLauncher.none(), terminal, new SecureRandom());
    return new LoginFlow(
        providers, new TokenClient(Duration.ofSeconds(2), requestTimeout), store, clock, options);
  }

  /** The browser visits the authorize URL; returns where the server redirects it. */
  static String redirectFrom(String authorizeUrl) throws Exception {
    HttpResponse<String> r = get(authorizeUrl);
    assertEquals(302, r.statusCode(), r.body());
    return r.headers().firstValue("Location").orElseThrow();
  }

  static HttpResponse<String> get(String url) throws Exception {
    return BROWSER.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
