package dev.tokensink.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One OAuth2 provider as configured under {@code tokensink.providers.<id>} (docs/api.md), or built
 * in.
 *
 * @param tokenRequest {@code form} or {@code json}
 * @param accountIdClaim a JSON pointer ({@code /a/b}) or a claim name in the access token JWT, else
 *     the id_token; null for none
 * @param refreshGrace how long the provider still accepts a just-rotated refresh token
 *     (docs/rules.md §2)
 * @param introspectionUrl RFC 7662 endpoint that tells whether a refresh token is still active;
 *     asked after a refresh whose answer was lost (docs/rules.md §2); null for none
 */
public record ProviderSettings(
    String id,
    String authorizeUrl,
    String tokenUrl,
    String clientId,
    String clientSecret,
    List<String> scopes,
    String redirectUri,
    Map<String, String> authorizeParams,
    String tokenRequest,
    String accountIdClaim,
    String revokeUrl,
    Duration refreshGrace,
    String introspectionUrl) {

  public ProviderSettings {
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
    authorizeParams = authorizeParams == null ? Map.of() : Map.copyOf(authorizeParams);
    tokenRequest = tokenRequest == null || tokenRequest.isBlank() ? "form" : tokenRequest;
    refreshGrace = refreshGrace == null ? Duration.ZERO : refreshGrace;
    introspectionUrl =
        introspectionUrl == null || introspectionUrl.isBlank() ? null : introspectionUrl;
  }

  /** A provider without an introspection endpoint. */
  public ProviderSettings(
      String id,
      String authorizeUrl,
      String tokenUrl,
      String clientId,
      String clientSecret,
      List<String> scopes,
      String redirectUri,
      Map<String, String> authorizeParams,
      String tokenRequest,
      String accountIdClaim,
      String revokeUrl,
      Duration refreshGrace) {
    this(
        id,
        authorizeUrl,
        tokenUrl,
        clientId,
        clientSecret,
        scopes,
        redirectUri,
        authorizeParams,
        tokenRequest,
        accountIdClaim,
        revokeUrl,
        refreshGrace,
        null);
  }

  /** The same provider with this introspection endpoint (RFC 7662); null for none. */
  public ProviderSettings withIntrospectionUrl(String url) {
    return new ProviderSettings(
        id,
        authorizeUrl,
        tokenUrl,
        clientId,
        clientSecret,
        scopes,
        redirectUri,
        authorizeParams,
        tokenRequest,
        accountIdClaim,
        revokeUrl,
        refreshGrace,
        url);
  }

  /** A provider configured under {@code tokensink.providers.<id>}. */
  public static ProviderSettings of(String id, Settings.Provider p) {
    return new ProviderSettings(
        id,
        p.authorizeUrl().orElse(null),
        p.tokenUrl().orElse(null),
        p.clientId().orElse(null),
        p.clientSecret().orElse(null),
        p.scopes().orElse(List.of()),
        p.redirectUri().orElse(null),
        p.authorizeParams(),
        p.tokenRequest(),
        p.accountIdClaim().orElse(null),
        p.revokeUrl().orElse(null),
        p.refreshGrace(),
        p.introspectionUrl().orElse(null));
  }

  public boolean jsonTokenRequest() {
    return "json".equalsIgnoreCase(tokenRequest);
  }

  @Override
  public String toString() {
    // clientSecret is a secret: never printed.
    return "ProviderSettings[" + id + ", token=" + tokenUrl + "]";
  }
}
