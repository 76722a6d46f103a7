package dev.tokensink.oauth;

import dev.tokensink.model.Secret;

/**
 * An authorization code from the callback or a paste, with the {@code state} it came with (null if
 * none).
 */
public record AuthCode(Secret code, String state) {
  public AuthCode {
    if (code == null || code.isBlank()) {
      throw new IllegalArgumentException("authorization code is empty");
    }
  }
}
