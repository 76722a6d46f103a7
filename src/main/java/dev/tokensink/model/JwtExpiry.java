package dev.tokensink.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;

/**
 * docs/rules.md §2: when an access token is a JWT whose {@code exp} is earlier than the stored
 * {@code expires}, {@code exp} wins. Applied whenever a credential is read from a store (file,
 * PostgreSQL, an import), not only at refresh and login, so a drifted stored expiry is never served
 * past the token's real end. Reads the payload only (no signature check: the provider checks
 * those); an opaque or malformed token leaves the stored expiry as it is.
 */
public final class JwtExpiry {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JwtExpiry() {}

  /** {@code stored}, or the token's {@code exp} in epoch ms when that is earlier. */
  public static Long earlier(Secret token, Long stored) {
    if (token == null || stored == null) {
      return stored;
    }
    long exp = expMillis(token.reveal());
    return exp > 0 && exp < stored ? exp : stored;
  }

  /** {@code exp} of a JWT in epoch ms, or 0 when the token is no JWT or has no numeric exp. */
  static long expMillis(String token) {
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (first <= 0 || second < 0 || token.length() > 64 * 1024) {
      return 0;
    }
    try {
      String payload = token.substring(first + 1, second);
      while (payload.endsWith("=")) {
        payload = payload.substring(0, payload.length() - 1);
      }
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(payload));
      JsonNode exp = claims == null ? null : claims.get("exp");
      if (exp == null || !exp.isNumber() || exp.asLong() <= 0) {
        return 0;
      }
      return Math.multiplyExact(exp.asLong(), 1000L);
    } catch (RuntimeException | java.io.IOException e) {
      return 0;
    }
  }
}
