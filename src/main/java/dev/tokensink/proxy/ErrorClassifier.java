package dev.tokensink.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokensink.cooldown.Outcome;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Maps a provider's answer to an {@link Outcome} (docs/rules.md §4 for what each outcome does; the
 * table of answers is in docs/proxy.md). Reads the status, {@code retry-after} / {@code
 * retry-after-ms}, and the error's {@code type} / {@code code} in the shapes OpenAI, Anthropic and
 * the Codex backend use. Never logs or keeps the body.
 */
public final class ErrorClassifier {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MAX_HINT = Duration.ofDays(7);
  private static final Set<String> USAGE_LIMIT =
      Set.of(
          "usage_limit_reached",
          "usage_not_included",
          "workspace_owner_usage_limit_reached",
          "workspace_member_usage_limit_reached");

  private ErrorClassifier() {}

  /**
   * @param body the answer's body (an error body, bounded by the caller); may be empty
   * @param nowMs the service clock, for an absolute {@code resets_at}
   */
  public static Verdict classify(int status, MultiMap headers, byte[] body, long nowMs) {
    if (status >= 200 && status < 300) {
      return Verdict.OK;
    }
    JsonNode error = parse(body);
    Set<String> codes = codes(error);
    String message = text(error.path("error").path("message")).toLowerCase(Locale.ROOT);
    if (codes.stream().anyMatch(USAGE_LIMIT::contains)) {
      return new Verdict(Outcome.USAGE_LIMIT, resetHint(error, nowMs, headers));
    }
    if (status == 402
        || codes.contains("insufficient_quota")
        || codes.contains("billing_error")
        || codes.stream()
            .anyMatch(c -> c.startsWith("workspace_") && c.endsWith("_credits_depleted"))) {
      return new Verdict(Outcome.BILLING, null);
    }
    if (status == 429
        || codes.contains("rate_limit_exceeded")
        || codes.contains("rate_limit_error")) {
      return new Verdict(Outcome.RATE_LIMITED, retryAfter(headers, nowMs));
    }
    if (status == 401 || status == 403) {
      return new Verdict(Outcome.AUTH_FAILED, null);
    }
    if (status == 529 || status == 503 || codes.contains("overloaded_error")) {
      return new Verdict(Outcome.OVERLOADED, retryAfter(headers, nowMs));
    }
    if (status == 404
        && (codes.contains("model_not_found")
            || (codes.contains("not_found_error") && message.contains("model")))) {
      return new Verdict(Outcome.MODEL_NOT_FOUND, null);
    }
    return Verdict.NONE;
  }

  private static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      return JSON.missingNode();
    }
    try {
      JsonNode n = JSON.readTree(body);
      return n == null ? JSON.missingNode() : n;
    } catch (java.io.IOException | RuntimeException e) {
      return JSON.missingNode();
    }
  }

  /** The error's type and code, in the shapes the providers use. */
  private static Set<String> codes(JsonNode root) {
    Set<String> out = new HashSet<>();
    JsonNode e = root.path("error");
    for (JsonNode n :
        new JsonNode[] {
          e.path("type"), e.path("code"), root.path("code"), root.path("detail").path("code")
        }) {
      String t = text(n);
      if (!t.isEmpty()) {
        out.add(t.toLowerCase(Locale.ROOT));
      }
    }
    if (e.isTextual()) {
      out.add(e.asText().toLowerCase(Locale.ROOT));
    }
    return out;
  }

  private static String text(JsonNode n) {
    return n.isTextual() ? n.asText() : "";
  }

  /** Codex' {@code resets_in_seconds} / {@code resets_at}, else the {@code retry-after} header. */
  private static Duration resetHint(JsonNode root, long nowMs, MultiMap headers) {
    JsonNode e = root.path("error");
    if (e.path("resets_in_seconds").canConvertToLong()) {
      return bounded(Duration.ofSeconds(e.path("resets_in_seconds").asLong()));
    }
    if (e.path("resets_at").canConvertToLong()) {
      long at = e.path("resets_at").asLong();
      long atMs = at < 100_000_000_000L ? at * 1000 : at; // seconds or milliseconds since epoch
      return bounded(Duration.ofMillis(atMs - nowMs));
    }
    return retryAfter(headers, nowMs);
  }

  /** {@code retry-after-ms}, else {@code retry-after} in seconds or as an HTTP date. */
  static Duration retryAfter(MultiMap headers, long nowMs) {
    String ms = headers.get("retry-after-ms");
    if (ms != null) {
      try {
        return bounded(Duration.ofMillis((long) Double.parseDouble(ms.trim())));
      } catch (NumberFormatException ignored) {
        // fall through to retry-after
      }
    }
    String v = headers.get("retry-after");
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return bounded(Duration.ofMillis((long) (Double.parseDouble(v.trim()) * 1000)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        return bounded(Duration.ofMillis(at.toInstant().toEpochMilli() - nowMs));
      } catch (RuntimeException notADate) {
        return null;
      }
    }
  }

  private static Duration bounded(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return null;
    }
    return d.compareTo(MAX_HINT) > 0 ? MAX_HINT : d;
  }
}
