package dev.tokensink.oauth;

import dev.tokensink.config.ProviderSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Builds the authorization request URL (RFC 6749 §4.1.1 with PKCE). */
public final class AuthorizeUrl {
  private AuthorizeUrl() {}

  /**
   * The standard parameters first, then the provider's extra {@code authorize-params} sorted by
   * name; an extra parameter cannot override a standard one.
   */
  public static URI build(ProviderSettings p, String state, String codeChallenge) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("response_type", "code");
    q.put("client_id", p.clientId());
    q.put("redirect_uri", p.redirectUri());
    if (!p.scopes().isEmpty()) {
      q.put("scope", String.join(" ", p.scopes()));
    }
    q.put("code_challenge", codeChallenge);
    q.put("code_challenge_method", "S256");
    q.put("state", state);
    new TreeMap<>(p.authorizeParams()).forEach(q::putIfAbsent);
    String query =
        q.entrySet().stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
    String base = p.authorizeUrl().trim();
    return URI.create(base + (base.contains("?") ? "&" : "?") + query);
  }

  private static String enc(String s) {
    // %20 rather than '+': some authorization servers do not decode '+' in scope.
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
