package dev.tokensink.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.config.ProviderSettings;
import dev.tokensink.model.Secret;
import dev.tokensink.oauth.TokenEndpointException.Kind;
import dev.tokensink.testing.Gate;
import dev.tokensink.testing.MutableClock;
import dev.tokensink.testing.Secrets;
import dev.tokensink.testing.StrictOAuthServer;
import dev.tokensink.testing.StrictOAuthServer.Fault;
import dev.tokensink.testing.StrictOAuthServer.TokenPair;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenClientTest {
  static final MutableClock CLOCK = MutableClock.at("2026-03-01T10:00:00Z");
  static StrictOAuthServer server;
  static ProviderSettings form;
  static ProviderSettings json;
  final TokenClient client = new TokenClient(Duration.ofSeconds(2), Duration.ofSeconds(5));

  @BeforeAll
  static void start() {
    server = StrictOAuthServer.start(CLOCK);
    form = server.provider("strict", "http://127.0.0.1:1/cb", false);
    json = server.provider("strict-json", "http://127.0.0.1:1/cb", true);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void reset() {
    server.reset().rotateRefreshTokens(true).refreshGrace(Duration.ZERO).requireClientSecret(null);
  }

  @Test
  void refresh_rotatesRefreshToken_andReadsLifetime() throws Exception {
    server.accessTokenLifetime(Duration.ofMinutes(10));
    TokenPair pair = server.seedGrant();
    TokenResponse r = client.refresh(form, Secret.of(pair.refresh()));
    assertNotNull(r.refreshToken());
    assertFalse(r.refreshToken().reveal().equals(pair.refresh()));
    assertEquals(600L, r.expiresInSeconds());
    assertNotNull(r.idToken());
    assertEquals("application/x-www-form-urlencoded", server.lastTokenRequest().contentType());
    TokenResponse again = client.refresh(form, r.refreshToken());
    assertFalse(again.refreshToken().sameAs(r.refreshToken()));
    server.accessTokenLifetime(Duration.ofHours(1));
  }

  @Test
  void refresh_withJsonRequests_sendsJsonBody() throws Exception {
    client.refresh(json, Secret.of(server.seedGrant().refresh()));
    assertTrue(server.lastTokenRequest().contentType().startsWith("application/json"));
    assertEquals("refresh_token", server.lastTokenRequest().params().get("grant_type"));
  }

  @Test
  void refresh_withoutRotation_returnsNoRefreshToken() throws Exception {
    server.rotateRefreshTokens(false);
    TokenPair pair = server.seedGrant();
    assertNull(client.refresh(form, Secret.of(pair.refresh())).refreshToken());
    assertNotNull(client.refresh(form, Secret.of(pair.refresh())).accessToken());
  }

  @Test
  void refresh_reusingSpentToken_revokesWholeGrant() throws Exception {
    TokenPair pair = server.seedGrant();
    int reuses = server.reusesDetected();
    int revoked = server.grantsRevoked();
    TokenResponse rotated = client.refresh(form, Secret.of(pair.refresh()));
    TokenEndpointException e =
        assertThrows(
            TokenEndpointException.class, () -> client.refresh(form, Secret.of(pair.refresh())));
    assertEquals(Kind.INVALID_GRANT, e.kind());
    assertEquals(400, e.httpStatus());
    assertTrue(e.getMessage().contains("refresh token reused"), e.getMessage());
    assertTrue(e.getMessage().contains("strict"), e.getMessage());
    assertEquals(reuses + 1, server.reusesDetected());
    assertEquals(revoked + 1, server.grantsRevoked());
    assertTrue(server.isRevoked(rotated.refreshToken().reveal()));
    TokenEndpointException after =
        assertThrows(
            TokenEndpointException.class, () -> client.refresh(form, rotated.refreshToken()));
    assertEquals(Kind.INVALID_GRANT, after.kind());
    Secrets.assertNotIn(e, pair.refresh(), rotated.refreshToken().reveal());
  }

  @Test
  void refresh_withinGrace_acceptsSpentToken() throws Exception {
    server.refreshGrace(Duration.ofSeconds(30));
    TokenPair pair = server.seedGrant();
    client.refresh(form, Secret.of(pair.refresh()));
    CLOCK.advance(Duration.ofSeconds(5));
    assertNotNull(client.refresh(form, Secret.of(pair.refresh())).accessToken());
    assertFalse(server.isRevoked(pair.refresh()));
  }

  @Test
  void clientSecret_isSentWhenConfigured_andWrongOneIsRejected() throws Exception {
    server.requireClientSecret("s3cret-client-value");
    ProviderSettings noSecret = form;
    TokenEndpointException e =
        assertThrows(
            TokenEndpointException.class,
            () -> client.refresh(noSecret, Secret.of(server.seedGrant().refresh())));
    assertEquals(Kind.REJECTED, e.kind());
    assertEquals(401, e.httpStatus());
    assertEquals("invalid_client", e.oauthError());
    ProviderSettings withSecret =
        new ProviderSettings(
            form.id(),
            form.authorizeUrl(),
            form.tokenUrl(),
            form.clientId(),
            "s3cret-client-value",
            form.scopes(),
            form.redirectUri(),
            form.authorizeParams(),
            "form",
            form.accountIdClaim(),
            form.revokeUrl(),
            Duration.ZERO);
    assertNotNull(
        client.refresh(withSecret, Secret.of(server.seedGrant().refresh())).accessToken());
  }

  @Test
  void serverError_isTransient() {
    server.fault(Fault.SERVER_ERROR);
    assertKind(Kind.TRANSIENT, 500);
  }

  @Test
  void htmlBody_isALostAnswer() {
    // a 2xx that is not a token answer: the provider may have rotated, so it is never retried
    server.fault(Fault.HTML);
    TokenEndpointException e = assertKind(Kind.ANSWER_LOST, 200);
    assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
    assertFalse(e.getMessage().contains("<html"), e.getMessage());
  }

  @Test
  void garbageBody_isALostAnswer() {
    server.fault(Fault.GARBAGE);
    assertKind(Kind.ANSWER_LOST, 200);
  }

  @Test
  void droppedConnectionAfterTheRequest_isALostAnswer() {
    server.fault(Fault.DROP_CONNECTION);
    TokenEndpointException e = assertKind(Kind.ANSWER_LOST, 0);
    assertTrue(e.getMessage().contains("the answer was lost"), e.getMessage());
  }

  @Test
  void answerTimeout_isALostAnswer() throws Exception {
    Gate gate = new Gate();
    server.gate(gate);
    TokenClient impatient = new TokenClient(Duration.ofSeconds(2), Duration.ofMillis(300));
    TokenEndpointException e =
        assertThrows(
            TokenEndpointException.class,
            () -> impatient.refresh(form, Secret.of("rt_whatever_is_parked_at_the_gate")));
    assertEquals(Kind.ANSWER_LOST, e.kind());
    assertTrue(e.getMessage().contains("no answer within 300 ms"), e.getMessage());
    assertEquals(1, gate.arrivals());
    gate.open();
  }

  @Test
  void connectionRefused_isNotSent() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProviderSettings dead =
        new ProviderSettings(
            "dead",
            "http://127.0.0.1:" + port + "/a",
            "http://127.0.0.1:" + port + "/t",
            "c",
            null,
            null,
            "http://127.0.0.1:1/cb",
            null,
            "form",
            null,
            null,
            null);
    TokenEndpointException e =
        assertThrows(
            TokenEndpointException.class,
            () -> client.refresh(dead, Secret.of("rt_0123456789abcdef0123456789")));
    assertEquals(Kind.NOT_SENT, e.kind());
    assertTrue(e.getMessage().contains("the request was not sent"), e.getMessage());
  }

  @Test
  void otherOAuthError_isRejected_andNeverEchoesSecrets() {
    String refresh = "rt_the_refresh_token_value_0123456789";
    server.respondWith(
        400,
        "{\"error\":\"invalid_scope\",\"error_description\":\"bad scope for "
            + refresh
            + " and eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl\"}");
    TokenEndpointException e =
        assertThrows(TokenEndpointException.class, () -> client.refresh(form, Secret.of(refresh)));
    assertEquals(Kind.REJECTED, e.kind());
    assertEquals("invalid_scope", e.oauthError());
    assertTrue(e.getMessage().contains("HTTP 400 invalid_scope"), e.getMessage());
    Secrets.assertNotIn(e, refresh, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0");
  }

  @Test
  void refreshTokenReusedErrorCode_isInvalidGrant() {
    server.respondWith(401, "{\"error\":\"refresh_token_reused\"}");
    assertKind(Kind.INVALID_GRANT, 401);
  }

  @Test
  void unauthorizedWithoutOAuthBody_isRejected() {
    server.respondWith(401, "{\"message\":\"nope\"}");
    assertKind(Kind.REJECTED, 401);
  }

  @Test
  void tooManyRequests_isTransient() {
    server.respondWith(429, "{\"error\":\"rate_limited\"}");
    assertKind(Kind.TRANSIENT, 429);
  }

  @Test
  void revoke_revokesGrant_rfc7009() throws Exception {
    TokenPair pair = server.seedGrant();
    client.revoke(form, Secret.of(pair.refresh()), "refresh_token");
    assertTrue(server.isRevoked(pair.refresh()));
    assertEquals(
        Kind.INVALID_GRANT,
        assertThrows(
                TokenEndpointException.class, () -> client.refresh(form, Secret.of(pair.refresh())))
            .kind());
    client.revoke(form, Secret.of("rt_unknown_tokens_are_fine"), null);
  }

  @Test
  void revoke_withoutRevokeUrl_isRejectedNamingTheKey() {
    ProviderSettings none = Providers.openAiCodex();
    TokenEndpointException e =
        assertThrows(
            TokenEndpointException.class,
            () -> client.revoke(none, Secret.of("whatever-token-value"), "refresh_token"));
    assertEquals(Kind.REJECTED, e.kind());
    assertTrue(
        e.getMessage().contains("tokensink.providers.openai-codex.revoke-url"), e.getMessage());
  }

  private TokenEndpointException assertKind(Kind kind, int status) {
    String refresh = server.seedGrant().refresh();
    TokenEndpointException e =
        assertThrows(TokenEndpointException.class, () -> client.refresh(form, Secret.of(refresh)));
    assertEquals(kind, e.kind(), e.getMessage());
    assertEquals(status, e.httpStatus(), e.getMessage());
    assertTrue(e.getMessage().startsWith("provider strict: refresh failed"), e.getMessage());
    Secrets.assertNotIn(e, refresh);
    return e;
  }
}
