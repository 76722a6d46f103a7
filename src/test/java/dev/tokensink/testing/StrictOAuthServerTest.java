package dev.tokensink.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fake itself must be strict, or tests against it prove nothing. */
class StrictOAuthServerTest {
  static final MutableClock CLOCK = MutableClock.at("2026-01-01T00:00:00Z");
  static StrictOAuthServer server;
  static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() {
    server = StrictOAuthServer.start(CLOCK);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void reset() {
    server.reset().rotateRefreshTokens(true).refreshGrace(Duration.ZERO);
  }

  @Test
  void authorizeAndExchange_requirePkceAndOneTimeCode() throws Exception {
    String redirect = "http://localhost:1/cb";
    server.allowRedirectUri(redirect);
    String verifier = "v".repeat(43);
    URI authorize =
        URI.create(
            server.authorizeUri()
                + "?"
                + HttpForms.encode(
                    Map.of(
                        "response_type",
                        "code",
                        "client_id",
                        StrictOAuthServer.CLIENT_ID,
                        "redirect_uri",
                        redirect,
                        "code_challenge",
                        StrictGrants.challenge(verifier),
                        "code_challenge_method",
                        "S256",
                        "state",
                        "s1")));
    HttpResponse<String> r =
        HTTP.send(HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(302, r.statusCode());
    Map<String, String> back =
        HttpForms.parse(URI.create(r.headers().firstValue("Location").orElseThrow()).getRawQuery());
    assertEquals("s1", back.get("state"));
    Map<String, String> form =
        Map.of(
            "grant_type",
            "authorization_code",
            "code",
            back.get("code"),
            "code_verifier",
            "wrong".repeat(9),
            "redirect_uri",
            redirect,
            "client_id",
            StrictOAuthServer.CLIENT_ID);
    assertEquals(400, post(form).statusCode());
    // the failed attempt spent the code: one-time
    assertEquals(
        400,
        post(Map.of(
                "grant_type",
                "authorization_code",
                "code",
                back.get("code"),
                "code_verifier",
                verifier,
                "redirect_uri",
                redirect,
                "client_id",
                StrictOAuthServer.CLIENT_ID))
            .statusCode());
  }

  @Test
  void refresh_rotates_andReuseRevokesGrant() throws Exception {
    StrictOAuthServer.TokenPair pair = server.seedGrant();
    HttpResponse<String> first = post(refresh(pair.refresh()));
    assertEquals(200, first.statusCode());
    JsonNode body = JSON.readTree(first.body());
    String next = body.get("refresh_token").asText();
    assertFalse(next.equals(pair.refresh()));
    assertEquals(3600, body.get("expires_in").asLong());
    HttpResponse<String> reuse = post(refresh(pair.refresh()));
    assertEquals(400, reuse.statusCode());
    assertEquals(
        "refresh token reused", JSON.readTree(reuse.body()).get("error_description").asText());
    assertTrue(server.isRevoked(next));
    assertEquals(400, post(refresh(next)).statusCode());
    assertEquals(1, server.reusesDetected());
  }

  @Test
  void refreshGrace_acceptsJustSpentToken() throws Exception {
    server.refreshGrace(Duration.ofSeconds(30));
    StrictOAuthServer.TokenPair pair = server.seedGrant();
    assertEquals(200, post(refresh(pair.refresh())).statusCode());
    CLOCK.advance(Duration.ofSeconds(10));
    assertEquals(200, post(refresh(pair.refresh())).statusCode());
    CLOCK.advance(Duration.ofSeconds(30));
    assertEquals(400, post(refresh(pair.refresh())).statusCode());
  }

  @Test
  void gate_parksTokenCallsUntilOpened() throws Exception {
    Gate gate = new Gate();
    server.gate(gate);
    int before = server.refreshCalls();
    CompletableFuture<HttpResponse<String>> call =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return post(refresh(server.seedGrant().refresh()));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertTrue(gate.awaitArrivals(1, Duration.ofSeconds(5)));
    assertFalse(call.isDone());
    assertEquals(before + 1, server.refreshCalls());
    gate.open();
    assertEquals(200, call.get().statusCode());
  }

  @Test
  void dropConnection_closesWithoutAnswer() {
    server.fault(StrictOAuthServer.Fault.DROP_CONNECTION);
    assertThrows(IOException.class, () -> post(refresh("x")));
  }

  private static Map<String, String> refresh(String token) {
    return Map.of(
        "grant_type",
        "refresh_token",
        "refresh_token",
        token,
        "client_id",
        StrictOAuthServer.CLIENT_ID);
  }

  private static HttpResponse<String> post(Map<String, String> form)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(server.tokenUri())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(HttpForms.encode(form)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
