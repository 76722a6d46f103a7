package dev.tokensink.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tokensink.cooldown.Outcome;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The providers' answers of docs/proxy.md's table, each mapped to its outcome. */
class ErrorClassifierTest {
  private static final long NOW = 1_764_000_000_000L;

  private static Verdict classify(int status, String body, String... headers) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return ErrorClassifier.classify(status, h, body.getBytes(StandardCharsets.UTF_8), NOW);
  }

  @Test
  void successIsOk() {
    assertEquals(Outcome.OK, classify(200, "").outcome());
    assertEquals(Outcome.OK, classify(204, "").outcome());
  }

  @Test
  void rateLimits_withRetryAfterSecondsMillisOrDate() {
    Verdict v = classify(429, "{}", "retry-after", "17");
    assertEquals(Outcome.RATE_LIMITED, v.outcome());
    assertEquals(Duration.ofSeconds(17), v.retryAfter());
    assertEquals(
        Duration.ofMillis(1500), classify(429, "{}", "retry-after-ms", "1500").retryAfter());
    assertEquals(
        Duration.ofSeconds(60),
        classify(429, "{}", "retry-after", "Mon, 24 Nov 2025 16:01:00 GMT").retryAfter());
    assertEquals(
        Outcome.RATE_LIMITED,
        classify(400, "{\"error\":{\"code\":\"rate_limit_exceeded\"}}").outcome());
  }

  @Test
  void usageLimits_ofTheCodexBackend_withResetHint() {
    Verdict v =
        classify(429, "{\"error\":{\"type\":\"usage_limit_reached\",\"resets_in_seconds\":900}}");
    assertEquals(Outcome.USAGE_LIMIT, v.outcome());
    assertEquals(Duration.ofSeconds(900), v.retryAfter());
    Verdict at =
        classify(
            403,
            "{\"error\":{\"code\":\"workspace_member_usage_limit_reached\",\"resets_at\":"
                + (NOW / 1000 + 3600)
                + "}}");
    assertEquals(Outcome.USAGE_LIMIT, at.outcome());
    assertEquals(Duration.ofHours(1), at.retryAfter());
  }

  @Test
  void billing() {
    assertEquals(Outcome.BILLING, classify(402, "").outcome());
    assertEquals(
        Outcome.BILLING,
        classify(
                429,
                "{\"error\":{\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}")
            .outcome());
    assertEquals(
        Outcome.BILLING,
        classify(403, "{\"error\":{\"code\":\"workspace_owner_credits_depleted\"}}").outcome());
  }

  @Test
  void authOverloadedModelNotFound() {
    assertEquals(Outcome.AUTH_FAILED, classify(401, "{}").outcome());
    assertEquals(Outcome.AUTH_FAILED, classify(403, "{}").outcome());
    assertEquals(
        Outcome.OVERLOADED,
        classify(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}").outcome());
    assertEquals(Outcome.OVERLOADED, classify(503, "").outcome());
    assertEquals(
        Outcome.MODEL_NOT_FOUND,
        classify(404, "{\"error\":{\"code\":\"model_not_found\"}}").outcome());
    assertEquals(
        Outcome.MODEL_NOT_FOUND,
        classify(
                404,
                "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"model: claude-x\"}}")
            .outcome());
  }

  @Test
  void answersThatSayNothingAboutTheCredential() {
    assertNull(classify(400, "{\"error\":{\"type\":\"invalid_request_error\"}}").outcome());
    assertNull(
        classify(404, "{\"error\":{\"type\":\"not_found_error\",\"message\":\"no such file\"}}")
            .outcome());
    assertNull(classify(500, "not json").outcome());
  }
}
