package dev.tokensink.proxy;

import java.net.URI;
import java.util.Locale;

/**
 * Where a provider's API lives and how it takes a credential.
 *
 * @param basePath the base URL's path without a trailing slash ({@code ""} for none); the client's
 *     path below {@code /{agent}/{provider}} is appended to it
 */
public record Upstream(
    String provider, boolean ssl, String host, int port, String basePath, CredentialForm form) {

  /**
   * Parses an {@code http(s)://host[:port][/path]} base URL.
   *
   * @throws IllegalArgumentException naming the provider's key when it is not such a URL
   */
  public static Upstream of(String provider, String baseUrl, CredentialForm form) {
    URI u;
    try {
      u = URI.create(baseUrl.trim());
    } catch (IllegalArgumentException e) {
      u = null;
    }
    String scheme =
        u == null || u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (u == null
        || !(scheme.equals("http") || scheme.equals("https"))
        || u.getHost() == null
        || u.getRawQuery() != null
        || u.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "tokensink.providers."
              + provider
              + ".api-base-url must be an http(s) URL without query, e.g."
              + " https://api.example.com/v1");
    }
    boolean ssl = scheme.equals("https");
    int port = u.getPort() > 0 ? u.getPort() : ssl ? 443 : 80;
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new Upstream(provider, ssl, u.getHost(), port, path, form);
  }

  /** The upstream request URI for the client's path and query below the provider prefix. */
  public String uri(String rest) {
    return basePath + (rest.isEmpty() || rest.charAt(0) == '?' ? "/" + rest : rest);
  }

  @Override
  public String toString() {
    return provider + " -> " + (ssl ? "https://" : "http://") + host + ":" + port + basePath;
  }
}
