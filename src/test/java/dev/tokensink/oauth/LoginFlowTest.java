package dev.tokensink.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.AuthState;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ReauthMark;
import dev.tokensink.model.Secret;
import dev.tokensink.model.UsageStats;
import dev.tokensink.oauth.LoginHarness.Login;
import dev.tokensink.testing.InMemoryStore;
import dev.tokensink.testing.MutableClock;
import dev.tokensink.testing.Secrets;
import dev.tokensink.testing.StrictOAuthServer;
import dev.tokensink.testing.TestJwt;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Successful logins against the strict server: loopback, each paste form, re-login in place. */
class LoginFlowTest {
  static final MutableClock CLOCK = MutableClock.at("2026-05-01T12:00:00Z");
  static final AgentId MAIN = AgentId.MAIN;
  static StrictOAuthServer server;
  InMemoryStore store;
  String redirect;
  int port;
  LoginFlow flow;

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
    server
        .reset()
        .signInAs(StrictOAuthServer.DEFAULT_ACCOUNT)
        .accessTokenLifetime(Duration.ofMinutes(10));
    port = LoginHarness.freePort();
    redirect = "http://localhost:" + port + "/auth/callback";
    store = new InMemoryStore();
    Providers providers =
        new Providers(Map.of("strict", server.provider("strict", redirect, false)));
    flow =
        LoginHarness.flow(
            providers, store, CLOCK, Duration.ofSeconds(30), false, Duration.ofSeconds(10));
  }

  @Test
  void login_viaLoopback_storesTheCredentialFieldByField() throws Exception {
    Login login = LoginHarness.startClosedStdin(flow, "strict");
    String url = login.authorizeUrl();
    assertEquals(404, LoginHarness.get("http://localhost:" + port + "/favicon.ico").statusCode());
    String callback = LoginHarness.redirectFrom(url);
    HttpResponse<String> page = LoginHarness.get(callback);
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("Signed in; you can close this tab"), page.body());
    assertEquals(0, login.exitCode(), login.out().text());

    Map<String, String> authorize = server.lastAuthorizeRequest().params();
    assertEquals("S256", authorize.get("code_challenge_method"));
    assertEquals("login", authorize.get("prompt"));
    assertEquals(redirect, authorize.get("redirect_uri"));

    Profile p = store.read(MAIN).orElseThrow().profile(ProfileId.parse("strict:user@example.com"));
    assertNotNull(p, store.read(MAIN).toString());
    Credential.OAuth c = (Credential.OAuth) p.credential();
    assertEquals("user-1", Jwt.parse(c.access()).string("sub").orElseThrow());
    assertNotNull(c.refresh());
    assertEquals(c.refresh().reveal(), server.currentRefreshToken(c.refresh().reveal()));
    assertFalse(server.isRevoked(c.refresh().reveal()));
    assertEquals(CLOCK.millis() + 600_000, c.expires());
    assertEquals("acct-1", c.accountId());
    assertEquals(StrictOAuthServer.CLIENT_ID, c.clientId());
    assertEquals("user@example.com", p.email());
    assertEquals(1, store.writes());
    assertEquals(1, server.tokenCalls("authorization_code"));
    Secrets.assertNotIn(login.out().text(), c.access().reveal(), c.refresh().reveal());
    assertTrue(login.out().text().contains("strict:user@example.com"), login.out().text());
  }

  @ParameterizedTest
  @ValueSource(strings = {"url", "code#state", "query", "bare"})
  void login_withNoBrowser_acceptsEachPasteForm(String form) throws Exception {
    Login login = LoginHarness.start(flow, "strict", null, true);
    URI back = URI.create(LoginHarness.redirectFrom(login.authorizeUrl()));
    Map<String, String> q = PastedAuth.query(back.getRawQuery());
    String pasted =
        switch (form) {
          case "url" -> back.toString();
          case "code#state" -> q.get("code") + "#" + q.get("state");
          case "query" -> back.getRawQuery();
          default -> q.get("code");
        };
    login.paste(pasted);
    assertEquals(0, login.exitCode(), login.out().text());
    assertNotNull(
        store.read(MAIN).orElseThrow().profile(ProfileId.parse("strict:user@example.com")));
  }

  @Test
  void portBusy_fallsBackToPaste() throws Exception {
    LoginFlow terminal =
        LoginHarness.flow(
            new Providers(Map.of("strict", server.provider("strict", redirect, false))),
            store,
            CLOCK,
            Duration.ofSeconds(30),
            true,
            Duration.ofSeconds(10));
    try (ServerSocket busy = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
      Login login = LoginHarness.start(terminal, "strict", null, false);
      String callback = LoginHarness.redirectFrom(login.authorizeUrl());
      login.paste(callback);
      assertEquals(0, login.exitCode(), login.out().text());
      assertTrue(login.out().text().contains("in use"), login.out().text());
    }
    assertEquals(1, store.writes());
  }

  @Test
  void reLogin_sameAccount_updatesProfileInPlace_andClearsReauthAndCooldown() throws Exception {
    ProfileId work = ProfileId.parse("strict:work");
    Credential.OAuth old =
        new Credential.OAuth(
            Secret.of("old-access-token-value"),
            Secret.of("old-refresh-value"),
            1L,
            "acct-1",
            StrictOAuthServer.CLIENT_ID);
    UsageStats cooled =
        new UsageStats(
            5L,
            CLOCK.millis() + 60_000,
            "auth",
            null,
            CLOCK.millis() + 60_000,
            "auth_permanent",
            3,
            Map.of("auth", 3),
            4L,
            null,
            Map.of());
    AuthState state =
        AuthState.EMPTY
            .withReauth(work, new ReauthMark("invalid_grant", 1L))
            .withUsage(work, cooled);
    store.put(
        AgentSnapshot.empty(MAIN)
            .withProfile(Profile.of(work, old).withEmail("old@example.com"))
            .withState(state));

    Login login = LoginHarness.startClosedStdin(flow, "strict");
    assertEquals(
        200, LoginHarness.get(LoginHarness.redirectFrom(login.authorizeUrl())).statusCode());
    assertEquals(0, login.exitCode(), login.out().text());

    AgentSnapshot after = store.read(MAIN).orElseThrow();
    assertEquals(1, after.profiles().size(), after.toString());
    Profile p = after.profile(work);
    assertFalse(
        ((Credential.OAuth) p.credential()).access().reveal().equals("old-access-token-value"));
    assertEquals("user@example.com", p.email());
    assertNull(after.state().reauth().get(work));
    UsageStats u = after.state().usage(work);
    assertNull(u.cooldownUntil());
    assertNull(u.disabledUntil());
    assertEquals(0, u.errorCount());
    assertEquals(5L, u.lastUsed());
    assertTrue(login.out().text().contains("Updated strict:work"), login.out().text());
  }

  @Test
  void otherAccountWithSameEmail_getsItsOwnProfile() throws Exception {
    ProfileId taken = ProfileId.parse("strict:user@example.com");
    store.put(
        AgentSnapshot.empty(MAIN)
            .withProfile(
                Profile.of(
                        taken,
                        new Credential.OAuth(
                            Secret.of("a-token"),
                            Secret.of("r-token"),
                            1L,
                            "acct-personal",
                            StrictOAuthServer.CLIENT_ID))
                    .withEmail("user@example.com")));
    Login login = LoginHarness.startClosedStdin(flow, "strict");
    LoginHarness.get(LoginHarness.redirectFrom(login.authorizeUrl()));
    assertEquals(0, login.exitCode(), login.out().text());
    AgentSnapshot after = store.read(MAIN).orElseThrow();
    assertEquals(
        "acct-personal", ((Credential.OAuth) after.profile(taken).credential()).accountId());
    Credential.OAuth minted =
        (Credential.OAuth) after.profile(ProfileId.parse("strict:user@example.com-2")).credential();
    assertEquals("acct-1", minted.accountId());
  }

  @Test
  void explicitProfileName_wins() throws Exception {
    Login login = LoginHarness.start(flow, "strict", "team", true);
    login.paste(LoginHarness.redirectFrom(login.authorizeUrl()));
    assertEquals(0, login.exitCode(), login.out().text());
    assertNotNull(store.read(MAIN).orElseThrow().profile(ProfileId.parse("strict:team")));
  }

  @Test
  void jwtExpEarlierThanExpiresIn_wins() throws Exception {
    long exp = CLOCK.instant().getEpochSecond() + 120;
    ObjectNode claims = TestJwt.claims().put("sub", "user-1").put("exp", exp);
    claims.putObject("https://api.openai.com/auth").put("chatgpt_account_id", "acct-1");
    server.respondWith(
        200, "{\"access_token\":\"" + TestJwt.sign(claims) + "\",\"expires_in\":7200}");
    Login login = LoginHarness.start(flow, "strict", null, true);
    login.paste(LoginHarness.redirectFrom(login.authorizeUrl()));
    assertEquals(0, login.exitCode(), login.out().text());
    Profile p = store.read(MAIN).orElseThrow().profile(ProfileId.parse("strict:default"));
    Credential.OAuth c = (Credential.OAuth) p.credential();
    assertEquals(exp * 1000, c.expires());
    assertNull(c.refresh());
    assertEquals("acct-1", c.accountId());
    assertTrue(login.out().text().contains("no refresh token"), login.out().text());
  }
}
