package dev.tokensink.proxy;

import dev.tokensink.broker.Served;
import dev.tokensink.model.ProfileType;
import io.vertx.core.MultiMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * How a provider wants the credential in a request (docs/proxy.md): written into the upstream
 * request's headers after every header the client sent for authentication was removed.
 */
@FunctionalInterface
public interface CredentialForm {
  /** Headers a client may send to authenticate itself; never forwarded upstream. */
  Set<String> CLIENT_AUTH_HEADERS =
      Set.of(
          "authorization",
          "proxy-authorization",
          "x-api-key",
          "api-key",
          "x-goog-api-key",
          "cookie",
          "chatgpt-account-id");

  /** The betas an Anthropic setup token or OAuth access token needs, before the client's own. */
  String ANTHROPIC_OAUTH_BETAS = "claude-code-20250219,oauth-2025-04-20";

  void apply(MultiMap headers, Served served);

  /** {@code Authorization: Bearer <secret>}: OpenAI, OpenRouter, any configured provider. */
  CredentialForm BEARER = (h, s) -> h.set("authorization", "Bearer " + s.secret().reveal());

  /**
   * Anthropic: an API key as {@code x-api-key}; a setup token or OAuth access token as a bearer
   * token with the OAuth beta merged into the client's {@code anthropic-beta} (none of the client's
   * values dropped).
   */
  CredentialForm ANTHROPIC =
      (h, s) -> {
        if (s.profile().type() == ProfileType.API_KEY) {
          h.set("x-api-key", s.secret().reveal());
          return;
        }
        h.set("authorization", "Bearer " + s.secret().reveal());
        Set<String> betas = new LinkedHashSet<>();
        for (String b : ANTHROPIC_OAUTH_BETAS.split(",")) {
          betas.add(b);
        }
        for (String v : h.getAll("anthropic-beta")) {
          for (String b : v.split(",")) {
            if (!b.isBlank()) {
              betas.add(b.trim());
            }
          }
        }
        h.set("anthropic-beta", String.join(",", betas));
      };

  /**
   * OpenAI Codex through ChatGPT sign-in: bearer access token, the workspace's account id (what
   * makes a team workspace's request land on the right account) and an {@code originator}.
   */
  CredentialForm OPENAI_CODEX =
      (h, s) -> {
        h.set("authorization", "Bearer " + s.secret().reveal());
        if (s.accountId() != null && !s.accountId().isBlank()) {
          h.set("chatgpt-account-id", s.accountId());
        }
        if (!h.contains("originator")) {
          h.set("originator", "tokensink");
        }
      };

  /** Google's Gemini API: {@code x-goog-api-key}. */
  CredentialForm GOOGLE = (h, s) -> h.set("x-goog-api-key", s.secret().reveal());

  /**
   * A configured form {@code "Header-Name: value"} where {@code {secret}} stands for the secret and
   * {@code {account-id}} for the profile's account id, e.g. {@code "api-key: {secret}"}.
   *
   * @throws IllegalArgumentException naming the key when the form is malformed
   */
  static CredentialForm parse(String provider, String form) {
    String key = "tokensink.providers." + provider + ".credential-header";
    int colon = form.indexOf(':');
    String name = colon < 0 ? "" : form.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    String template = colon < 0 ? "" : form.substring(colon + 1).trim();
    if (!name.matches("[a-z0-9!#$%&'*+.^_`|~-]+") || !template.contains("{secret}")) {
      throw new IllegalArgumentException(
          key
              + " must look like 'Header-Name: value' with {secret} in the value,"
              + " e.g. 'api-key: {secret}' or 'Authorization: Bearer {secret}'");
    }
    return (h, s) -> {
      String value = template.replace("{secret}", s.secret().reveal());
      value = value.replace("{account-id}", s.accountId() == null ? "" : s.accountId());
      h.set(name, value);
    };
  }
}
