package dev.tokensink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokensink.cli.CliHarness.Result;
import dev.tokensink.testing.LineCapture;
import dev.tokensink.testing.StrictOAuthServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code models auth login} and {@code logout} end to end against the strict OAuth server, declared
 * as provider {@code strict} in the state dir's config.yaml; the test plays browser and keyboard.
 */
class LoginCliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient BROWSER =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .version(HttpClient.Version.HTTP_1_1)
          .build();
  static final String PROFILE = "strict:user@example.com";

  static CliHarness clockHolder = CliHarness.fresh("2026-05-01T12:00:00Z");
  static StrictOAuthServer server;

  CliHarness cli;
  int codeCalls0;
  int revokeCalls0;
  int callbackPort;
  String redirect;

  @BeforeAll
  static void startServer() {
    server = StrictOAuthServer.start(clockHolder.clock);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void stateDir() throws IOException {
    server
        .reset()
        .signInAs(StrictOAuthServer.DEFAULT_ACCOUNT)
        .accessTokenLifetime(Duration.ofHours(1));
    codeCalls0 = server.tokenCalls("authorization_code"); // the server's counters run across tests
    revokeCalls0 = server.revokeCalls();
    cli = new CliHarness(Files.createTempDirectory("tokensink-cli-login-"), clockHolder.clock);
    try (ServerSocket s = new ServerSocket(0)) {
      callbackPort = s.getLocalPort();
    }
    redirect = "http://127.0.0.1:" + callbackPort + "/auth/callback";
    server.allowRedirectUri(redirect);
    cli.config(config(true));
  }

  String config(boolean withRevokeUrl) {
    return "tokensink:\n  providers:\n    strict:\n"
        + "      authorize-url: "
        + server.authorizeUri()
        + "\n"
        + "      token-url: "
        + server.tokenUri()
        + "\n"
        + "      client-id: "
        + StrictOAuthServer.CLIENT_ID
        + "\n"
        + "      scopes: [openid, profile, email, offline_access]\n"
        + "      redirect-uri: "
        + redirect
        + "\n"
        + "      account-id-claim: \"/https:~1~1api.openai.com~1auth/chatgpt_account_id\"\n"
        + (withRevokeUrl ? "      revoke-url: " + server.revokeUri() + "\n" : "");
  }

  /** A login running on its own thread: what it prints, its stdin, its exit. */
  record Running(CompletableFuture<Result> exit, LineCapture out, PipedOutputStream keyboard) {
    String authorizeUrl() throws InterruptedException {
      String url = out.awaitLineStartingWith("http", Duration.ofSeconds(20));
      assertNotNull(url, "no authorize URL line printed: " + out.text());
      return url;
    }

    Result result() throws Exception {
      return exit.get(30, TimeUnit.SECONDS);
    }

    void paste(String line) throws IOException {
      keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      keyboard.flush();
    }
  }

  Running login(InputStream stdin, PipedOutputStream keyboard, String... args) {
    LineCapture out = new LineCapture();
    String[] all = new String[3 + args.length];
    all[0] = "models";
    all[1] = "auth";
    all[2] = "login";
    System.arraycopy(args, 0, all, 3, args.length);
    CompletableFuture<Result> exit =
        CompletableFuture.supplyAsync(
            () -> {
              Result r = cli.runWith(stdin, out.stream(), cli.clock, all);
              return new Result(r.exit(), out.text(), r.err());
            });
    return new Running(exit, out, keyboard);
  }

  Running loginWithKeyboard(String... args) throws IOException {
    PipedOutputStream keyboard = new PipedOutputStream();
    return login(new PipedInputStream(keyboard), keyboard, args);
  }

  Running loginClosedStdin(String... args) {
    return login(new ByteArrayInputStream(new byte[0]), null, args);
  }

  static HttpResponse<String> get(String url) throws Exception {
    return BROWSER.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The browser signs in at the authorize URL; returns the redirect the server sends it to. */
  static String signIn(String authorizeUrl) throws Exception {
    HttpResponse<String> r = get(authorizeUrl);
    assertEquals(302, r.statusCode(), r.body());
    return r.headers().firstValue("Location").orElseThrow();
  }

  static String param(String url, String name) {
    for (String kv : URI.create(url).getRawQuery().split("&")) {
      if (kv.startsWith(name + "=")) {
        return java.net.URLDecoder.decode(kv.substring(name.length() + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  JsonNode stored(String id) throws IOException {
    return JSON.readTree(cli.agentFile("main", "auth-profiles.json").toFile())
        .get("profiles")
        .get(id);
  }

  /** The stored profile field by field, the file mode, and no secret in the output. */
  void assertStored(Result r) throws Exception {
    assertEquals(0, r.exit(), r.toString());
    JsonNode p = stored(PROFILE);
    assertNotNull(p, "profile stored: " + cli.read(cli.agentFile("main", "auth-profiles.json")));
    assertEquals("oauth", p.get("type").asText());
    assertEquals("strict", p.get("provider").asText());
    String access = p.get("access").asText();
    String refresh = p.get("refresh").asText();
    assertTrue(access.split("\\.").length == 3, "a JWT access token");
    assertFalse(refresh.isBlank());
    assertEquals(cli.clock.millis() + 3600_000L, p.get("expires").asLong());
    assertEquals("acct-1", p.get("accountId").asText());
    assertEquals("user@example.com", p.get("email").asText());
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(cli.agentFile("main", "auth-profiles.json"))));
    assertTrue(
        r.out()
            .contains(
                "Signed in: stored "
                    + PROFILE
                    + " in agent main (user@example.com), account acct-1; access "
                    + access.substring(0, 4)
                    + "…"
                    + access.substring(access.length() - 4)),
        r.out());
    assertFalse(r.all().contains(access), "access token printed");
    assertFalse(r.all().contains(refresh), "refresh token printed");
    assertEquals(1, codeCalls());
  }

  @Test
  void loopbackCallback_storesTheProfile() throws Exception {
    Running login = loginClosedStdin("--provider", "strict");
    String url = login.authorizeUrl();
    assertTrue(url.startsWith(server.authorizeUri().toString()), url);
    assertEquals("S256", param(url, "code_challenge_method"));
    assertEquals(404, get("http://127.0.0.1:" + callbackPort + "/elsewhere").statusCode());
    HttpResponse<String> page = get(signIn(url));
    assertEquals(200, page.statusCode());
    assertStored(login.result());
  }

  @Test
  void loopbackCallback_wrongState_400_thenTheRightOneSucceeds() throws Exception {
    Running login = loginClosedStdin("--provider", "strict");
    String callback = signIn(login.authorizeUrl());
    String forged = callback.replace("state=" + param(callback, "state"), "state=forged");
    assertEquals(400, get(forged).statusCode());
    assertEquals(200, get(callback).statusCode());
    assertStored(login.result());
  }

  @Test
  void paste_fullRedirectUrl() throws Exception {
    Running login = loginWithKeyboard("--provider", "strict", "--no-browser");
    login.paste(signIn(login.authorizeUrl()));
    Result r = login.result();
    assertTrue(r.out().contains("paste the URL the browser was sent to"), r.out());
    assertStored(r);
  }

  @Test
  void paste_codeHashState() throws Exception {
    Running login = loginWithKeyboard("--provider", "strict", "--no-browser");
    String callback = signIn(login.authorizeUrl());
    login.paste(param(callback, "code") + "#" + param(callback, "state"));
    assertStored(login.result());
  }

  @Test
  void paste_bareCode() throws Exception {
    Running login = loginWithKeyboard("--provider", "strict", "--no-browser");
    login.paste(param(signIn(login.authorizeUrl()), "code"));
    assertStored(login.result());
  }

  @Test
  void paste_stateMismatch_refused_nothingStored() throws Exception {
    Running login = loginWithKeyboard("--provider", "strict", "--no-browser");
    String callback = signIn(login.authorizeUrl());
    login.paste(param(callback, "code") + "#not-the-state");
    Result r = login.result();
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("state mismatch"), r.err());
    assertEquals(0, codeCalls(), "the code was not exchanged");
    assertFalse(Files.exists(cli.agentFile("main", "auth-profiles.json")));
  }

  @Test
  void noBrowser_stdinClosed_failsFast_withAClearMessage() throws Exception {
    long t0 = System.nanoTime();
    Running login = loginClosedStdin("--provider", "strict", "--no-browser", "--timeout", "60s");
    Result r = login.result();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("stdin ended before a redirect URL or code was pasted"), r.err());
    assertTrue(ms < 15_000, "failed fast, not after the 60 s timeout: " + ms + " ms");
    assertFalse(Files.exists(cli.agentFile("main", "auth-profiles.json")));
  }

  @Test
  void noAnswer_timesOut_withAClearMessage() throws Exception {
    Running login = loginClosedStdin("--provider", "strict", "--timeout", "1s");
    login.authorizeUrl();
    Result r = login.result();
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().contains("no sign-in answer within 1 s; run the login again"), r.err());
    assertFalse(Files.exists(cli.agentFile("main", "auth-profiles.json")));
  }

  @Test
  void unknownProvider_andBadTimeout_exit2() {
    Result r = cli.run("models", "auth", "login", "--provider", "nope", "--no-browser");
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("nope"), r.err());
    Result t = cli.run("models", "auth", "login", "--provider", "strict", "--timeout", "soon");
    assertEquals(2, t.exit(), t.toString());
    assertFalse(Files.exists(cli.stateDir.resolve("agents")));
  }

  @Test
  void login_clearsAPreviousReauthMark_andUpdatesTheProfileInPlace() throws Exception {
    cli.write(
        cli.agentFile("main", "auth-profiles.json"),
        "{\"version\":1,\"profiles\":{\""
            + PROFILE
            + "\":"
            + "{\"type\":\"oauth\",\"provider\":\"strict\",\"access\":\"old-access-0123456789\",\"refresh\":\"old-refresh\","
            + "\"expires\":1,\"accountId\":\"acct-1\",\"email\":\"user@example.com\"}}}");
    cli.write(
        cli.agentFile("main", "auth-state.json"),
        "{\"version\":1,\"reauth\":{\""
            + PROFILE
            + "\":{\"reason\":\"refresh token revoked\",\"at\":1}}}");
    assertEquals(1, cli.run("models", "status", "--check").exit());

    Running login = loginClosedStdin("--provider", "strict");
    assertEquals(200, get(signIn(login.authorizeUrl())).statusCode());
    Result r = login.result();
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("Updated " + PROFILE), r.out());
    assertNull(
        JSON.readTree(cli.agentFile("main", "auth-state.json").toFile())
            .at("/reauth")
            .get(PROFILE));
    assertEquals(0, cli.run("models", "status", "--check").exit());
    assertTrue(cli.run("models", "status").out().contains(PROFILE), "same id kept");
  }

  String loggedIn() throws Exception {
    Running login = loginClosedStdin("--provider", "strict");
    assertEquals(200, get(signIn(login.authorizeUrl())).statusCode());
    assertEquals(0, login.result().exit());
    return stored(PROFILE).get("refresh").asText();
  }

  @Test
  void logout_revoke_revokesAtTheProvider_thenRemovesProfileOrderAndState() throws Exception {
    String refresh = loggedIn();
    assertEquals(
        0, cli.run("models", "auth", "order", "set", "--provider", "strict", PROFILE).exit());
    Result r = cli.run("models", "auth", "logout", PROFILE, "--revoke");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("revoked the grant of " + PROFILE), r.out());
    assertEquals(1, revokeCalls());
    assertTrue(server.isRevoked(refresh));
    JsonNode file = JSON.readTree(cli.agentFile("main", "auth-profiles.json").toFile());
    assertNull(file.get("profiles").get(PROFILE));
    assertTrue(file.at("/order/strict").isMissingNode(), file.toString());
    assertFalse(r.all().contains(refresh));
  }

  @Test
  void logout_revoke_withoutRevokeUrl_saysSo_andRemovesLocally() throws Exception {
    String refresh = loggedIn();
    cli.config(config(false));
    Result r = cli.run("models", "auth", "logout", PROFILE, "--revoke");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("provider strict has no revoke-url configured"), r.out());
    assertEquals(0, revokeCalls());
    assertFalse(server.isRevoked(refresh));
    assertNull(stored(PROFILE));
  }

  @Test
  void logout_revokeFails_profileKept() throws Exception {
    loggedIn();
    Map<String, String> before = cli.tree();
    server.fault(StrictOAuthServer.Fault.SERVER_ERROR);
    Result r = cli.run("models", "auth", "logout", PROFILE, "--revoke");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().contains("revocation failed, profile kept"), r.err());
    assertEquals(before, cli.tree());
  }

  @Test
  void logout_unknownProfile_exit2_listsProfiles() throws Exception {
    loggedIn();
    Map<String, String> before = cli.tree();
    Result r = cli.run("models", "auth", "logout", "strict:nobody");
    assertEquals(2, r.exit(), r.toString());
    assertTrue(
        r.err()
            .contains(
                "profile strict:nobody does not exist in agent main; profiles: [" + PROFILE + "]"),
        r.err());
    assertEquals(before, cli.tree());
  }

  @Test
  void logout_plain_removesAnApiKeyProfile() {
    assertEquals(
        0,
        cli.runWithStdin(
                "sk-or-v1-0123456789abcdef\n",
                "models",
                "auth",
                "add-key",
                "--provider",
                "openrouter")
            .exit());
    Result r = cli.run("models", "auth", "logout", "openrouter:default");
    assertEquals(0, r.exit(), r.toString());
    assertEquals(
        "removed openrouter:default from agent main (with its order entries and usage state)\n",
        r.out());
    assertTrue(cli.run("profiles", "list").out().isEmpty());
  }

  int codeCalls() {
    return server.tokenCalls("authorization_code") - codeCalls0;
  }

  int revokeCalls() {
    return server.revokeCalls() - revokeCalls0;
  }
}
