package dev.tokensink.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.tokensink.model.Secret;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the claims of a JWT without verifying it: tokensink only needs {@code exp}, {@code iat},
 * account claims and the email, and the provider is the one that checks signatures. A token that is
 * not a JWT (opaque) has no claims; nothing here throws.
 */
public final class Jwt {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Jwt NONE = new Jwt(MissingNode.getInstance());

  private final JsonNode claims;

  private Jwt(JsonNode claims) {
    this.claims = claims;
  }

  /** The claims of {@code token}, or an empty result for null, opaque or malformed tokens. */
  public static Jwt parse(Secret token) {
    if (token == null) {
      return NONE;
    }
    String[] parts = token.reveal().split("\\.", -1);
    if (parts.length != 3 && parts.length != 5) {
      return NONE;
    }
    try {
      JsonNode n = JSON.readTree(Base64.getUrlDecoder().decode(stripPadding(parts[1])));
      return n != null && n.isObject() ? new Jwt(n) : NONE;
    } catch (Exception e) {
      return NONE;
    }
  }

  public boolean isJwt() {
    return claims.isObject();
  }

  /** A copy of the payload; an empty object for non-JWTs. */
  public JsonNode claims() {
    return claims.isObject() ? claims.deepCopy() : JSON.createObjectNode();
  }

  /** {@code exp} in epoch milliseconds. */
  public OptionalLong expiresAtMillis() {
    return seconds("exp");
  }

  /** {@code iat} in epoch milliseconds. */
  public OptionalLong issuedAtMillis() {
    return seconds("iat");
  }

  public Optional<String> email() {
    return string("email");
  }

  /**
   * A string claim by JSON pointer ({@code /https:~1~1api.openai.com~1auth/chatgpt_account_id}) or
   * by top-level claim name ({@code sub}). Numbers are returned as text; objects and arrays are
   * not.
   */
  public Optional<String> string(String pointerOrName) {
    if (pointerOrName == null || pointerOrName.isBlank() || !claims.isObject()) {
      return Optional.empty();
    }
    JsonNode n;
    try {
      n = pointerOrName.startsWith("/") ? claims.at(pointerOrName) : claims.path(pointerOrName);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (n.isTextual() || n.isNumber()) {
      String v = n.asText();
      return v.isBlank() ? Optional.empty() : Optional.of(v);
    }
    return Optional.empty();
  }

  /**
   * The account id: the claim in the access token, else in the id_token; empty when neither has it.
   */
  public static Optional<String> accountId(String claim, Secret accessToken, Secret idToken) {
    Optional<String> fromAccess = parse(accessToken).string(claim);
    return fromAccess.isPresent() ? fromAccess : parse(idToken).string(claim);
  }

  private OptionalLong seconds(String name) {
    JsonNode n = claims.path(name);
    if (n.isNumber()) {
      double s = n.asDouble();
      if (s > 0 && s < 1e11) {
        return OptionalLong.of((long) (s * 1000));
      }
    }
    return OptionalLong.empty();
  }

  private static String stripPadding(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    return s.substring(0, end);
  }

  @Override
  public String toString() {
    return isJwt() ? "Jwt[claims=" + claims.size() + "]" : "Jwt[none]";
  }
}
