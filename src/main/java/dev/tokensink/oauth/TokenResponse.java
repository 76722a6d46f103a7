package dev.tokensink.oauth;

import dev.tokensink.model.Secret;
import java.util.Objects;

/**
 * A successful token endpoint answer. Tokens stay wrapped in {@link Secret}; {@link #toString()}
 * masks them.
 *
 * @param refreshToken null when the provider sent none (keep the old one on refresh, docs/rules.md
 *     §2)
 * @param expiresInSeconds {@code expires_in}, null when absent
 * @param idToken null when absent
 * @param scope null when absent
 */
public record TokenResponse(
    Secret accessToken,
    Secret refreshToken,
    Long expiresInSeconds,
    Secret idToken,
    String scope,
    String tokenType) {

  public TokenResponse {
    Objects.requireNonNull(accessToken, "accessToken");
  }
}
