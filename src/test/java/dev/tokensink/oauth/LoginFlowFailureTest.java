package dev.tokensink.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.config.ProviderSettings;
import dev.tokensink.model.AgentId;
import dev.tokensink.oauth.LoginHarness.Login;
import dev.tokensink.testing.Gate;
import dev.tokensink.testing.InMemoryStore;
import dev.tokensink.testing.MutableClock;
import dev.tokensink.testing.Secrets;
import dev.tokensink.testing.StrictOAuthServer;
import dev.tokensink.testing.StrictOAuthServer.Fault;
import java.io.BufferedReader;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every way a login can fail: a clear message, a non-zero exit code, and an untouched store. */
class LoginFlowFailureTest {
  static final MutableClock CLOCK = MutableClock.at("2026-05-01T12:00:00Z");
  static StrictOAuthServer server;
  InMemoryStore store;
  String redirect;
  int port;
  Providers providers;

  @BeforeAll
  static void startServer() {
    server = StrictOAuthServer.start(CLOCK);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    port = LoginHarness.freePort();
    redirect = "http://localhost:" + port + "/auth/callback";
    store = new InMemoryStore();
    ProviderSettings noTokenUrl =
        new ProviderSettings(
            null,
            "https://idp.example/authorize",
            null,
            "c",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    providers =
        new Providers(
            Map.of("strict", server.provider("strict", redirect, false), "half", noTokenUrl));
  }

  @AfterEach
  void tearDown() {
    server.reset().requireClientSecret(null);
    assertEquals(0, store.writes(), "the store must stay unchanged");
    assertTrue(store.read(AgentId.MAIN).isEmpty());
  }

  private LoginFlow flow(Duration timeout) {
    return LoginHarness.flow(providers, store, CLOCK, timeout, false, Duration.ofMillis(500));
  }

  @Test
  void loopback_stateMismatch_isRefused_andLoginTimesOut() throws Exception {
    Login login = LoginHarness.startClosedStdin(flow(Duration.ofSeconds(1)), "strict");
    login.authorizeUrl();
    HttpResponse<String> r = LoginHarness.get(redirect + "?code=ac_forged&state=not-ours");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("State mismatch"), r.body());
    assertFailure(login, 1, "wrong or missing state");
  }

  @Test
  void loopback_missingCode_isRefused_andLoginTimesOut() throws Exception {
    Login login = LoginHarness.startClosedStdin(flow(Duration.ofSeconds(1)), "strict");
    String state = PastedAuth.query(URI.create(login.authorizeUrl()).getRawQuery()).get("state");
    assertEquals(400, LoginHarness.get(redirect + "?state=" + state).statusCode());
    assertFailure(login, 1, "without a code");
  }

  @Test
  void accessDenied_failsTheLogin() throws Exception {
    server.denyAuthorization(true);
    Login login = LoginHarness.startClosedStdin(flow(Duration.ofSeconds(30)), "strict");
    String callback = LoginHarness.redirectFrom(login.authorizeUrl());
    assertTrue(callback.contains("error=access_denied"), callback);
    HttpResponse<String> page = LoginHarness.get(callback);
    assertTrue(page.body().contains("access_denied"), page.body());
    assertFailure(login, 1, "refused the sign-in: access_denied");
  }

  @Test
  void pastedGarbage_isBadInput() throws Exception {
    Login login = LoginHarness.start(flow(Duration.ofSeconds(30)), "strict", null, true);
    login.authorizeUrl();
    login.paste("this is not what the browser showed");
    assertFailure(login, 2, "not an authorization answer");
  }

  @Test
  void pastedStateMismatch_isBadInput() throws Exception {
    Login login = LoginHarness.start(flow(Duration.ofSeconds(30)), "strict", null, true);
    String code =
        PastedAuth.query(URI.create(LoginHarness.redirectFrom(login.authorizeUrl())).getRawQuery())
            .get("code");
    login.paste(code + "#some-other-state");
    assertFailure(login, 2, "state mismatch");
    Secrets.assertNotIn(login.out().text(), code);
  }

  @ParameterizedTest
  @EnumSource(
      value = Fault.class,
      names = {"SERVER_ERROR", "HTML", "GARBAGE", "DROP_CONNECTION"})
  void tokenEndpointFault_failsTheLogin(Fault fault) throws Exception {
    server.fault(fault);
    assertExchangeFails(fault == Fault.SERVER_ERROR ? "HTTP 500" : "code exchange failed");
  }

  @Test
  void tokenEndpoint400_failsTheLogin() throws Exception {
    server.respondWith(400, "{\"error\":\"invalid_grant\",\"error_description\":\"code expired\"}");
    assertExchangeFails("HTTP 400 invalid_grant (code expired)");
  }

  @Test
  void tokenEndpoint401_failsTheLogin() throws Exception {
    server.requireClientSecret("a-secret-the-flow-does-not-know");
    assertExchangeFails("HTTP 401 invalid_client");
  }

  @Test
  void tokenEndpointTimeout_failsTheLogin() throws Exception {
    Gate gate = new Gate();
    server.gate(gate);
    assertExchangeFails("no answer within");
    assertEquals(1, gate.arrivals());
  }

  @Test
  void portBusy_withoutTerminal_failsAndSuggestsNoBrowser() throws Exception {
    try (ServerSocket busy = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
      Login login = LoginHarness.startClosedStdin(flow(Duration.ofSeconds(30)), "strict");
      assertFailure(login, 1, "--no-browser");
    }
  }

  @Test
  void noBrowser_withClosedStdin_reportsNothingPasted() throws Exception {
    LoginFlow f = flow(Duration.ofSeconds(30));
    try (ServerSocket busy = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
      var out = new dev.tokensink.testing.LineCapture();
      int code =
          f.run(
              "strict",
              null,
              null,
              true,
              new BufferedReader(new StringReader("\n\n")),
              out.stream());
      assertEquals(2, code, out.text());
      assertTrue(out.text().contains("stdin ended"), out.text());
    }
  }

  @Test
  void unknownProvider_isBadUsage() throws Exception {
    Login login = LoginHarness.startClosedStdin(flow(Duration.ofSeconds(30)), "nope");
    assertFailure(login, 2, "unknown provider 'nope'; OAuth providers: half, openai-codex, strict");
  }

  @Test
  void providerConfigMissingUrl_isBadUsage() throws Exception {
    Login login = LoginHarness.startClosedStdin(flow(Duration.ofSeconds(30)), "half");
    assertFailure(login, 2, "tokensink.providers.half.token-url");
  }

  @Test
  void malformedProfileName_isBadUsage() {
    var out = new dev.tokensink.testing.LineCapture();
    int code =
        flow(Duration.ofSeconds(30))
            .run(
                "strict",
                "main",
                "bad name",
                false,
                new BufferedReader(new StringReader("")),
                out.stream());
    assertEquals(2, code, out.text());
    assertTrue(out.text().contains("profile name"), out.text());
  }

  private void assertExchangeFails(String detail) throws Exception {
    Login login = LoginHarness.startClosedStdin(flow(Duration.ofSeconds(30)), "strict");
    String callback = LoginHarness.redirectFrom(login.authorizeUrl());
    HttpResponse<String> page = LoginHarness.get(callback);
    assertEquals(502, page.statusCode(), page.body());
    assertFailure(login, 1, detail);
    String code = PastedAuth.query(URI.create(callback).getRawQuery()).get("code");
    Secrets.assertNotIn(login.out().text(), code);
  }

  private static void assertFailure(Login login, int exit, String text) throws Exception {
    assertEquals(exit, login.exitCode(), login.out().text());
    String out = login.out().text();
    assertTrue(out.contains("error: ") && out.contains(text), out);
  }
}
