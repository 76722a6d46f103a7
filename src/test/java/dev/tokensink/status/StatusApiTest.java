package dev.tokensink.status;

import static dev.tokensink.status.StatusCallersProfile.ALPHA_ACCESS;
import static dev.tokensink.status.StatusCallersProfile.ALPHA_KEY;
import static dev.tokensink.status.StatusCallersProfile.ALPHA_REFRESH;
import static dev.tokensink.status.StatusCallersProfile.BETA_KEY;
import static dev.tokensink.status.StatusCallersProfile.BETA_TOKEN;
import static dev.tokensink.status.StatusCallersProfile.GAMMA_KEY;
import static dev.tokensink.status.StatusCallersProfile.TOKEN_ALL;
import static dev.tokensink.status.StatusCallersProfile.TOKEN_ALPHA;
import static dev.tokensink.status.StatusCallersProfile.TOKEN_BETA;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokensink.events.EventHub;
import dev.tokensink.model.Secret;
import dev.tokensink.testing.Secrets;
import dev.tokensink.testing.TestProducers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The status page's JSON and access rules with callers configured: no page or JSON without a
 * caller's token or session; a bearer token is exchanged for an HttpOnly, SameSite=Strict cookie
 * that shows exactly that caller's agents; filters; masked secrets only (every response body is
 * checked against every seeded secret, and the suite's secret scan checks the log).
 */
@QuarkusTest
@TestProfile(StatusCallersProfile.class)
class StatusApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] SECRETS = {
    ALPHA_KEY,
    ALPHA_ACCESS,
    ALPHA_REFRESH,
    BETA_KEY,
    BETA_TOKEN,
    GAMMA_KEY,
    TOKEN_ALPHA,
    TOKEN_BETA,
    TOKEN_ALL
  };

  @Inject EventHub hub;

  private final List<String> bodies = new ArrayList<>();

  @AfterEach
  void noSecretInAnyResponse() {
    for (String b : bodies) {
      Secrets.assertNotIn(b, SECRETS);
    }
  }

  private Response seen(Response r) {
    bodies.add(r.asString());
    r.headers().forEach(h -> bodies.add(h.getName() + ": " + h.getValue()));
    return r;
  }

  private String session(String token) {
    Response r =
        seen(given().header("Authorization", "Bearer " + token).when().post("/status/session"));
    assertEquals(200, r.statusCode(), r.asString());
    String setCookie = r.header("Set-Cookie");
    assertNotNull(setCookie, "a session cookie is set");
    String attrs = setCookie.toLowerCase(java.util.Locale.ROOT); // attribute names ignore case
    assertTrue(attrs.contains("; httponly"), setCookie.replaceAll("=[^;]+;", "=…;"));
    assertTrue(attrs.contains("; samesite=strict"), "SameSite=Strict");
    assertTrue(attrs.contains("; path=/status"), "scoped to /status");
    return r.cookie(StatusRoutes.COOKIE);
  }

  private JsonNode api(String cookie, String query) throws Exception {
    Response r =
        seen(given().cookie(StatusRoutes.COOKIE, cookie).when().get("/status/api" + query));
    assertEquals(200, r.statusCode(), r.asString());
    assertEquals(StatusRoutes.CSP, r.header("Content-Security-Policy"));
    return JSON.readTree(r.asString());
  }

  private static Set<String> agents(JsonNode root) {
    Set<String> out = new TreeSet<>();
    root.get("agents").forEach(a -> out.add(a.get("id").asText()));
    return out;
  }

  private static JsonNode profile(JsonNode root, String agent, String id) {
    for (JsonNode a : root.get("agents")) {
      if (a.get("id").asText().equals(agent)) {
        for (JsonNode p : a.get("profiles")) {
          if (p.get("id").asText().equals(id)) {
            return p;
          }
        }
      }
    }
    throw new AssertionError(agent + "/" + id + " not in " + root);
  }

  @Test
  void withCallers_nothingIsServedWithoutATokenOrSession() {
    // the page answers with the sign-in form only, which names no agent
    Response page = seen(given().when().get("/status"));
    assertEquals(401, page.statusCode());
    assertTrue(page.asString().contains("id=\"login\""), "the sign-in form");
    assertFalse(page.asString().contains("alpha"), "no agent on the sign-in page");
    assertEquals(StatusRoutes.CSP, page.header("Content-Security-Policy"));
    // loopback alone is not enough once callers are configured
    assertEquals(401, seen(given().when().get("/status/api")).statusCode());
    assertEquals(401, seen(given().when().get("/status/events")).statusCode());
    assertEquals(
        401,
        seen(given().header("Authorization", "Bearer not-a-caller-token-123").get("/status/api"))
            .statusCode());
    assertEquals(
        401,
        seen(given()
                .header("Authorization", "Bearer not-a-caller-token-123")
                .post("/status/session"))
            .statusCode());
    assertEquals(
        401,
        seen(given().cookie(StatusRoutes.COOKIE, "forged-session-id").get("/status/api"))
            .statusCode());
  }

  @Test
  void bearerToken_isExchangedForACookie_thatShowsExactlyThatCallersAgents() throws Exception {
    String alpha = session(TOKEN_ALPHA);
    JsonNode root = api(alpha, "");
    assertEquals(Set.of("alpha"), agents(root));
    assertEquals("ops-alpha", root.get("caller").asText());
    Response page = seen(given().cookie(StatusRoutes.COOKIE, alpha).when().get("/status"));
    assertEquals(200, page.statusCode());
    assertTrue(page.asString().contains("/status/assets/status.js"));
    assertFalse(page.asString().contains("<script>"), "no inline script");
    // another caller's agent is invisible, also when asked for by name
    Response denied =
        seen(given().cookie(StatusRoutes.COOKIE, alpha).get("/status/api?agent=beta"));
    assertEquals(403, denied.statusCode());
    assertTrue(denied.asString().contains("may not see agent beta"), denied.asString());
    assertEquals(
        403,
        seen(given().cookie(StatusRoutes.COOKIE, alpha).get("/status/events?agent=beta"))
            .statusCode());

    assertEquals(Set.of("beta"), agents(api(session(TOKEN_BETA), "")));
    assertEquals(Set.of("alpha", "beta", "gamma"), agents(api(session(TOKEN_ALL), "")));
    // scripts may send the bearer token on every call instead
    Response script =
        seen(given().header("Authorization", "Bearer " + TOKEN_BETA).get("/status/api"));
    assertEquals(Set.of("beta"), agents(JSON.readTree(script.asString())));

    // signing out ends the session
    seen(given().cookie(StatusRoutes.COOKIE, alpha).delete("/status/session"));
    assertEquals(
        401, seen(given().cookie(StatusRoutes.COOKIE, alpha).get("/status/api")).statusCode());
  }

  @Test
  void json_showsStatesWindowsOrderAndFixes_withMaskedSecretsOnly() throws Exception {
    JsonNode root = api(session(TOKEN_ALL), "");
    long now = TestProducers.CLOCK.millis();
    assertEquals(now, root.get("now").asLong());
    assertEquals("file", root.get("store").asText());

    JsonNode key = profile(root, "alpha", "anthropic:default");
    assertEquals("api_key", key.get("type").asText());
    assertEquals(Secret.mask(ALPHA_KEY), key.get("secret").asText());
    assertEquals("cooldown", key.get("state").asText());
    assertEquals(now + 600_000, key.get("cooldown").get("until").asLong());
    assertEquals("claude-opus", key.get("cooldown").get("model").asText());
    assertEquals("rate_limit", key.get("cooldown").get("reason").asText());
    assertTrue(key.get("fix").get("text").asText().contains("until"), key.toString());

    JsonNode oauth = profile(root, "alpha", "openai-codex:me@example.com");
    assertEquals("ok", oauth.get("state").asText());
    assertEquals("acct-alpha", oauth.get("account").asText());
    assertEquals(now + 3_600_000, oauth.get("expiresAt").asLong());
    long refreshAt = oauth.get("refreshAt").asLong();
    // docs/rules.md §2: min(15 min, half the lifetime) before expiry, ±10 %
    assertTrue(
        refreshAt >= now + 3_600_000 - 990_000 && refreshAt <= now + 3_600_000 - 810_000,
        "scheduled refresh " + (now + 3_600_000 - refreshAt) + " ms before expiry");
    assertNull(oauth.get("fix"));

    JsonNode expired = profile(root, "beta", "custom:expired");
    assertEquals("expired", expired.get("state").asText());
    assertEquals(
        "tokensink models auth paste-token --provider custom --agent beta --profile expired",
        expired.get("fix").get("command").asText());

    JsonNode disabled = profile(root, "gamma", "openai:default");
    assertEquals("disabled", disabled.get("state").asText());
    assertEquals("billing", disabled.get("disabled").get("reason").asText());

    JsonNode order = root.get("agents").get(0).get("order");
    assertEquals("anthropic:default", order.get("anthropic").get(0).asText());

    // filters by agent, provider and state
    assertEquals(Set.of("beta"), agents(api(session(TOKEN_ALL), "?state=expired")));
    assertEquals(Set.of("alpha"), agents(api(session(TOKEN_ALL), "?provider=openai-codex")));
    assertEquals(Set.of("gamma"), agents(api(session(TOKEN_ALL), "?agent=gamma")));
    String all = session(TOKEN_ALL);
    Response bad = seen(given().cookie(StatusRoutes.COOKIE, all).get("/status/api?state=sleepy"));
    assertEquals(400, bad.statusCode());
    assertTrue(bad.asString().contains("reauth_required"), bad.asString());
    assertEquals(
        400,
        seen(given().cookie(StatusRoutes.COOKIE, all).get("/status/api?agent=Not%20an%20id"))
            .statusCode());
  }

  @Test
  void eventStream_startsWithASnapshot_andHoldsOneHubSubscriptionWhileOpen() throws Exception {
    String cookie = session(TOKEN_BETA);
    int before = hub.subscriberCount();
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest req =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + io.restassured.RestAssured.port + "/status/events"))
            .header("Cookie", StatusRoutes.COOKIE + "=" + cookie)
            .timeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<java.io.InputStream> r =
        client.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String data = null;
      for (String line; (line = in.readLine()) != null; ) {
        if (line.equals("event: snapshot")) {
          data = in.readLine();
          break;
        }
      }
      assertNotNull(data, "a snapshot first");
      bodies.add(data);
      JsonNode snapshot = JSON.readTree(data.substring("data: ".length()));
      assertEquals(Set.of("beta"), agents(snapshot));
      assertEquals(before + 1, hub.subscriberCount(), "one event subscription for the open page");
    }
  }
}
