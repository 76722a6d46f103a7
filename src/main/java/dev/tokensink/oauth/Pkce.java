package dev.tokensink.oauth;

import dev.tokensink.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * PKCE S256 (RFC 7636): verifier = 32 random bytes base64url, challenge =
 * base64url(SHA-256(verifier)).
 */
public record Pkce(Secret verifier, String challenge) {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  public static Pkce generate(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String verifier = B64.encodeToString(bytes);
    return new Pkce(Secret.of(verifier), challengeOf(verifier));
  }

  public static String challengeOf(String verifier) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return B64.encodeToString(sha.digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** A random {@code state}: 32 bytes base64url. */
  public static String randomState(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return B64.encodeToString(bytes);
  }
}
