package dev.tokensink.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.cooldown.Usability;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import dev.tokensink.testing.FakeUpstream;
import dev.tokensink.testing.ProxyProfile;
import dev.tokensink.testing.ProxyTestBase;
import dev.tokensink.testing.StrictOAuthServer;
import dev.tokensink.testing.TestProducers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * What the proxy does with a provider's failure before any byte went back to the client: report it
 * (cooldowns as docs/rules.md §4), fail over to the next usable profile (at most {@code
 * tokensink.proxy.max-failovers}, default 1), or refresh an OAuth token once and retry.
 */
@QuarkusTest
@TestProfile(ProxyProfile.class)
class ProxyFailoverTest extends ProxyTestBase {
  private static final String BODY =
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  private static final String KEY_A = "sk-ant-api03-profile-a-0001c9";
  private static final String KEY_B = "sk-ant-api03-profile-b-0002d4";
  private static final String KEY_C = "sk-ant-api03-profile-c-0003e8";

  /** Answers {@code status} (with these headers and body) to key A's requests, 200 otherwise. */
  private static FakeUpstream.Script failFor(
      Set<String> keys, int status, String body, String... headers) {
    return (seen, ex) -> {
      if (keys.contains(seen.credential())) {
        FakeUpstream.json(ex, status, body, headers);
      } else {
        FakeUpstream.standard(seen, ex);
      }
    };
  }

  private void twoKeys(String agent) {
    storeOrdered(agent, "anthropic", apiKey("anthropic:a", KEY_A), apiKey("anthropic:b", KEY_B));
  }

  @Test
  void rateLimited_clientGetsNextProfilesAnswer_andFirstCoolsDownForRetryAfter() throws Exception {
    twoKeys("f1");
    upstream.reply(
        failFor(
            Set.of(KEY_A),
            429,
            "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}",
            "retry-after",
            "120"));
    HttpResponse<String> r = post("/f1/anthropic/v1/messages", BODY);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("Hello from upstream"));
    assertEquals("anthropic:b", r.headers().firstValue("x-tokensink-profile").orElseThrow());
    List<FakeUpstream.Seen> seen = upstream.seen();
    assertEquals(2, seen.size());
    assertEquals(KEY_A, seen.get(0).credential());
    assertEquals(KEY_B, seen.get(1).credential());
    assertEquals(BODY, seen.get(1).bodyText(), "the retried body is the client's, byte for byte");
    long now = TestProducers.CLOCK.millis();
    // a 429 for a named model cools that model on A, for the provider's 120 s (> the 30 s ladder)
    assertEquals(
        now + 120_000, Usability.usableAt(usage("f1", "anthropic:a"), "claude-sonnet-4-5", now));
    assertNull(Usability.usableAt(usage("f1", "anthropic:b"), "claude-sonnet-4-5", now));
    // the next request goes to B directly
    upstream.reset();
    assertEquals(200, post("/f1/anthropic/v1/messages", BODY).statusCode());
    assertEquals(
        List.of(KEY_B), upstream.seen().stream().map(FakeUpstream.Seen::credential).toList());
  }

  @Test
  void overloaded529_failsOver_andFirstProfileCoolsDown() throws Exception {
    twoKeys("f2");
    upstream.reply(
        failFor(
            Set.of(KEY_A),
            529,
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
    HttpResponse<String> r = post("/f2/anthropic/v1/messages", BODY);
    assertEquals(200, r.statusCode(), r.body());
    long now = TestProducers.CLOCK.millis();
    assertEquals(now + 30_000, Usability.usableAt(usage("f2", "anthropic:a"), null, now));
  }

  @Test
  void atMostOneFailover_secondFailureGoesToTheClient() throws Exception {
    storeOrdered(
        "f3",
        "anthropic",
        apiKey("anthropic:a", KEY_A),
        apiKey("anthropic:b", KEY_B),
        apiKey("anthropic:c", KEY_C));
    upstream.reply(
        failFor(
            Set.of(KEY_A, KEY_B),
            429,
            "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow\"}}",
            "retry-after",
            "5"));
    HttpResponse<String> r = post("/f3/anthropic/v1/messages", BODY);
    assertEquals(429, r.statusCode());
    assertTrue(r.body().contains("rate_limit_error"), "the provider's own answer: " + r.body());
    assertEquals("5", r.headers().firstValue("retry-after").orElseThrow());
    assertEquals(2, upstream.seen().size());
  }

  @Test
  void pinnedProfile_isNotRotated() throws Exception {
    twoKeys("f4");
    upstream.reply(
        failFor(
            Set.of(KEY_A), 429, "{\"error\":{\"type\":\"rate_limit_error\"}}", "retry-after", "9"));
    HttpResponse<String> r =
        post("/f4/anthropic/v1/messages", BODY, "x-tokensink-profile", "anthropic:a");
    assertEquals(429, r.statusCode());
    assertEquals(1, upstream.seen().size());
  }

  @Test
  void usageLimitBody_blocksProfileUntilReset_andFailsOver() throws Exception {
    twoKeys("f5");
    upstream.reply(
        failFor(
            Set.of(KEY_A),
            429,
            "{\"error\":{\"type\":\"usage_limit_reached\",\"message\":\"The usage limit has been reached\","
                + "\"resets_in_seconds\":3600}}"));
    assertEquals(200, post("/f5/anthropic/v1/messages", BODY).statusCode());
    long now = TestProducers.CLOCK.millis();
    var a = usage("f5", "anthropic:a");
    assertEquals(now + 3_600_000, a.disabledUntil());
    assertEquals("usage_limit", a.disabledReason());
  }

  @Test
  void oauth401_refreshedOnceAgainstStrictServer_andRetried() throws Exception {
    StrictOAuthServer.TokenPair pair = oauth.seedGrant();
    dev.tokensink.testing.Secrets.register(pair.access(), pair.refresh());
    long expires = TestProducers.CLOCK.millis() + 3_600_000;
    store(
        "o1",
        Profile.of(
            ProfileId.parse("strict:default"),
            new Credential.OAuth(
                Secret.of(pair.access()), Secret.of(pair.refresh()), expires, "acct-1", null)));
    // the provider revoked the access token server-side although it has not expired
    Set<String> refused = ConcurrentHashMap.newKeySet();
    refused.add(pair.access());
    upstream.reply(
        failFor(
            refused, 401, "{\"error\":{\"type\":\"invalid_api_key\",\"message\":\"revoked\"}}"));
    int before = oauth.refreshCalls();
    HttpResponse<String> r = post("/o1/strict/v1/chat/completions", "{\"model\":\"m\"}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(1, oauth.refreshCalls() - before);
    List<FakeUpstream.Seen> seen = upstream.seen();
    assertEquals(2, seen.size());
    assertEquals(pair.access(), seen.get(0).credential());
    String fresh = seen.get(1).credential();
    assertTrue(oauth.issuedAccessToken(fresh) && !fresh.equals(pair.access()));
    var stored =
        (Credential.OAuth)
            cache
                .peek(dev.tokensink.model.AgentId.of("o1"))
                .snapshot()
                .profile(ProfileId.parse("strict:default"))
                .credential();
    assertEquals(fresh, stored.access().reveal());
    assertEquals(0, oauth.reusesDetected());
  }

  @Test
  void modelOverrideInBody_pinsProfile_andProviderSeesBareModel() throws Exception {
    twoKeys("f6");
    String body =
        "{\"model\":\"/model claude-opus@20250514@anthropic:b\",\"max_tokens\":16,\"messages\":[]}";
    HttpResponse<String> r = post("/f6/anthropic/v1/messages", body);
    assertEquals(200, r.statusCode(), r.body());
    FakeUpstream.Seen seen = upstream.last();
    assertEquals(KEY_B, seen.credential());
    assertEquals(
        "{\"model\":\"claude-opus@20250514\",\"max_tokens\":16,\"messages\":[]}", seen.bodyText());
  }

  @Test
  void setupToken_sentAsBearerWithOauthBetaMergedIntoClients() throws Exception {
    String setup = "sk-ant-oat01-" + "x".repeat(80);
    store("f7", token("anthropic:manual", setup));
    HttpResponse<String> r =
        post(
            "/f7/anthropic/v1/messages",
            BODY,
            "anthropic-beta",
            "tools-2024-04-04",
            "x-api-key",
            "client-sent-key-000000",
            "cookie",
            "session=abc12345678");
    assertEquals(200, r.statusCode(), r.body());
    FakeUpstream.Seen seen = upstream.last();
    assertEquals("Bearer " + setup, seen.header("authorization"));
    assertNull(seen.header("x-api-key"));
    assertNull(seen.header("cookie"));
    assertEquals(
        "claude-code-20250219,oauth-2025-04-20,tools-2024-04-04", seen.header("anthropic-beta"));
  }

  @Test
  void configuredProvider_headerFormAndBasePath() throws Exception {
    store("f8", apiKey("acme:default", "acme-secret-key-998877"));
    HttpResponse<String> r =
        post("/f8/acme/chat?tier=1", "{\"model\":\"m\"}", "x-tokensink-session", "s-1");
    assertEquals(200, r.statusCode(), r.body());
    FakeUpstream.Seen seen = upstream.last();
    assertEquals("/acme/v2/chat?tier=1", seen.path());
    assertEquals("acme-secret-key-998877", seen.header("api-key"));
    assertNull(seen.header("authorization"));
    assertNull(seen.header("x-tokensink-session"));
  }

  @Test
  void callers_tokenRequired_agentPermissions_unknownProvider() throws Exception {
    twoKeys("f9");
    HttpResponse<String> none =
        HTTP.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base("f9", "anthropic") + "/v1/messages"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(BODY))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, none.statusCode());
    assertTrue(none.body().contains("UNAUTHENTICATED"), none.body());
    HttpResponse<String> other =
        post(
            "/f9/anthropic/v1/messages",
            BODY,
            "authorization",
            "Bearer " + ProxyProfile.TOKEN_OTHER);
    assertEquals(403, other.statusCode());
    assertTrue(other.body().contains("may not use agent f9"), other.body());
    HttpResponse<String> unknown = post("/f9/nowhere/v1/x", BODY);
    assertEquals(404, unknown.statusCode());
    assertTrue(unknown.body().contains("api-base-url"), unknown.body());
    HttpResponse<String> badAgent = post("/Bad%20Agent/anthropic/v1/x", BODY);
    assertEquals(400, badAgent.statusCode());
    assertEquals(0, upstream.seen().size());
  }
}
