package dev.tokensink.oauth;

import dev.tokensink.config.ProviderSettings;
import dev.tokensink.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The OAuth providers tokensink can log in to: the built-in {@code openai-codex} (docs/rules.md §6)
 * and the ones configured under {@code tokensink.providers.<id>}; a configured provider replaces a
 * built-in one of the same id. Also knows the providers that only take keys or pasted tokens.
 * Immutable.
 */
public final class Providers {
  public static final String OPENAI_CODEX = "openai-codex";

  /** Providers without an OAuth login: keys, or (anthropic) a pasted setup token. */
  public static final Set<String> KEY_OR_TOKEN_ONLY =
      Set.of("anthropic", "openai", "openrouter", "google", "groq", "mistral", "xai");

  static final String DEFAULT_REDIRECT = "http://127.0.0.1:1455/auth/callback";

  private final Map<String, ProviderSettings> oauth;

  /**
   * @param configured {@code tokensink.providers.*} by id (the map key wins over the record's id)
   */
  public Providers(Map<String, ProviderSettings> configured) {
    Map<String, ProviderSettings> all = new TreeMap<>();
    all.put(OPENAI_CODEX, openAiCodex());
    if (configured != null) {
      configured.forEach((id, s) -> all.put(id, withId(id, s)));
    }
    this.oauth = Collections.unmodifiableMap(all);
  }

  /** The built-in providers and those configured under {@code tokensink.providers}. */
  public static Providers configured(Map<String, Settings.Provider> configured) {
    Map<String, ProviderSettings> all = new TreeMap<>();
    configured.forEach((id, p) -> all.put(id, ProviderSettings.of(id, p)));
    return new Providers(all);
  }

  public static Providers builtIn() {
    return new Providers(Map.of());
  }

  /** OpenAI Codex (ChatGPT sign-in), a public client: exactly the constants of docs/rules.md §6. */
  public static ProviderSettings openAiCodex() {
    return new ProviderSettings(
        OPENAI_CODEX,
        "https://auth.openai.com/oauth/authorize",
        "https://auth.openai.com/oauth/token",
        "app_EMoamEEZ73f0CkXaXp7hrann",
        null,
        List.of("openid", "profile", "email", "offline_access"),
        "http://localhost:1455/auth/callback",
        Map.of(
            "id_token_add_organizations",
            "true",
            "codex_cli_simplified_flow",
            "true",
            "originator",
            "tokensink"),
        "form",
        "/https:~1~1api.openai.com~1auth/chatgpt_account_id",
        null,
        Duration.ZERO);
  }

  /** The settings of an OAuth provider, if known (not validated). */
  public Optional<ProviderSettings> find(String id) {
    return Optional.ofNullable(oauth.get(id));
  }

  /** Ids of every provider that has an OAuth login, sorted. */
  public Set<String> oauthIds() {
    return oauth.keySet();
  }

  public boolean isKeyOrTokenOnly(String id) {
    return !oauth.containsKey(id) && KEY_OR_TOKEN_ONLY.contains(id);
  }

  /**
   * The validated settings for {@code login --provider id}: throws {@link ProviderException} naming
   * the known providers, the command to use for a key-only provider, or the missing config key.
   */
  public ProviderSettings forLogin(String id) {
    ProviderSettings s = oauth.get(id);
    if (s == null) {
      if (KEY_OR_TOKEN_ONLY.contains(id)) {
        throw new ProviderException(
            "provider "
                + id
                + " has no OAuth login; "
                + ("anthropic".equals(id)
                    ? "use `tokensink models auth setup-token --provider anthropic` or `add-key --provider anthropic`"
                    : "use `tokensink models auth add-key --provider " + id + "`"));
      }
      Set<String> known = new TreeSet<>(oauth.keySet());
      throw new ProviderException(
          "unknown provider '"
              + printable(id)
              + "'; OAuth providers: "
              + String.join(", ", known)
              + " (declare others under tokensink.providers.<id>); key-only providers: "
              + String.join(", ", new TreeSet<>(KEY_OR_TOKEN_ONLY)));
    }
    requireUrl(id, "authorize-url", s.authorizeUrl());
    requireUrl(id, "token-url", s.tokenUrl());
    require(id, "client-id", s.clientId());
    requireUrl(id, "redirect-uri", s.redirectUri());
    if (s.revokeUrl() != null && !s.revokeUrl().isBlank()) {
      requireUrl(id, "revoke-url", s.revokeUrl());
    }
    if (s.introspectionUrl() != null) {
      requireUrl(id, "introspection-url", s.introspectionUrl());
    }
    if (!"form".equalsIgnoreCase(s.tokenRequest()) && !"json".equalsIgnoreCase(s.tokenRequest())) {
      throw new ProviderException(
          "tokensink.providers." + id + ".token-request must be form or json");
    }
    return s;
  }

  private static ProviderSettings withId(String id, ProviderSettings s) {
    String redirect =
        s.redirectUri() == null || s.redirectUri().isBlank() ? DEFAULT_REDIRECT : s.redirectUri();
    return new ProviderSettings(
        id,
        s.authorizeUrl(),
        s.tokenUrl(),
        s.clientId(),
        s.clientSecret(),
        s.scopes(),
        redirect,
        s.authorizeParams(),
        s.tokenRequest(),
        s.accountIdClaim(),
        s.revokeUrl(),
        s.refreshGrace(),
        s.introspectionUrl());
  }

  private static void require(String id, String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ProviderException(
          "provider " + id + " is missing tokensink.providers." + id + "." + key);
    }
  }

  private static void requireUrl(String id, String key, String value) {
    require(id, key, value);
    try {
      URI u = URI.create(value.trim());
      if (u.getHost() == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw new ProviderException(
          "tokensink.providers." + id + "." + key + " is not an absolute http(s) URL");
    }
  }

  private static String printable(String s) {
    return s == null
        ? ""
        : s.replaceAll("[^\\x20-\\x7e]", "?").substring(0, Math.min(s.length(), 80));
  }
}
