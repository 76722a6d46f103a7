package dev.tokensink.proxy;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The providers the proxy can forward to: built in (docs/proxy.md lists them) and configured under
 * {@code tokensink.providers.<id>}; a configured base URL or credential header replaces the
 * built-in one, and a configured provider without a header form gets {@code Authorization: Bearer
 * <secret>}. Immutable; built once at start.
 */
public final class Upstreams {
  private record BuiltIn(String baseUrl, CredentialForm form) {}

  private static final Map<String, BuiltIn> BUILT_IN =
      Map.of(
          "anthropic", new BuiltIn("https://api.anthropic.com", CredentialForm.ANTHROPIC),
          "openai", new BuiltIn("https://api.openai.com", CredentialForm.BEARER),
          "openai-codex",
              new BuiltIn("https://chatgpt.com/backend-api/codex", CredentialForm.OPENAI_CODEX),
          "openrouter", new BuiltIn("https://openrouter.ai/api/v1", CredentialForm.BEARER),
          "google", new BuiltIn("https://generativelanguage.googleapis.com", CredentialForm.GOOGLE),
          "groq", new BuiltIn("https://api.groq.com/openai", CredentialForm.BEARER),
          "mistral", new BuiltIn("https://api.mistral.ai", CredentialForm.BEARER),
          "xai", new BuiltIn("https://api.x.ai", CredentialForm.BEARER));

  private final Map<String, Upstream> byProvider;

  private Upstreams(Map<String, Upstream> byProvider) {
    this.byProvider = Map.copyOf(byProvider);
  }

  /**
   * @throws IllegalArgumentException naming the key of a malformed base URL or header form
   */
  public static Upstreams of(Map<String, ProxySettings.UpstreamSettings> configured) {
    Map<String, Upstream> all = new TreeMap<>();
    BUILT_IN.forEach((id, b) -> all.put(id, Upstream.of(id, b.baseUrl(), b.form())));
    configured.forEach(
        (id, c) -> {
          BuiltIn b = BUILT_IN.get(id);
          String base = c.apiBaseUrl() != null ? c.apiBaseUrl() : b == null ? null : b.baseUrl();
          if (base == null) {
            throw new IllegalArgumentException(
                "tokensink.providers."
                    + id
                    + ".credential-header is set but api-base-url is not: the proxy needs"
                    + " to know where "
                    + id
                    + "'s API lives");
          }
          CredentialForm form =
              c.credentialHeader() != null
                  ? CredentialForm.parse(id, c.credentialHeader())
                  : b != null ? b.form() : CredentialForm.BEARER;
          all.put(id, Upstream.of(id, base, form));
        });
    return new Upstreams(all);
  }

  public Optional<Upstream> find(String provider) {
    return Optional.ofNullable(byProvider.get(provider));
  }

  /** Provider ids the proxy forwards, sorted (for error messages). */
  public java.util.Set<String> ids() {
    return new java.util.TreeSet<>(byProvider.keySet());
  }
}
