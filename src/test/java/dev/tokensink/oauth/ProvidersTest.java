package dev.tokensink.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.config.ProviderSettings;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvidersTest {

  @Test
  void openAiCodex_hasTheRulesConstants() {
    ProviderSettings p = Providers.builtIn().forLogin("openai-codex");
    assertEquals("app_EMoamEEZ73f0CkXaXp7hrann", p.clientId());
    assertEquals("https://auth.openai.com/oauth/authorize", p.authorizeUrl());
    assertEquals("https://auth.openai.com/oauth/token", p.tokenUrl());
    assertEquals("http://localhost:1455/auth/callback", p.redirectUri());
    assertEquals(List.of("openid", "profile", "email", "offline_access"), p.scopes());
    assertEquals(
        Map.of(
            "id_token_add_organizations",
            "true",
            "codex_cli_simplified_flow",
            "true",
            "originator",
            "tokensink"),
        p.authorizeParams());
    assertEquals("form", p.tokenRequest());
  }

  @Test
  void authorizeUrl_carriesPkceStateAndExtraParams() {
    URI u = AuthorizeUrl.build(Providers.openAiCodex(), "st4te", "ch4llenge");
    Map<String, String> q = PastedAuth.query(u.getRawQuery());
    assertEquals("code", q.get("response_type"));
    assertEquals("app_EMoamEEZ73f0CkXaXp7hrann", q.get("client_id"));
    assertEquals("http://localhost:1455/auth/callback", q.get("redirect_uri"));
    assertEquals("openid profile email offline_access", q.get("scope"));
    assertEquals("ch4llenge", q.get("code_challenge"));
    assertEquals("S256", q.get("code_challenge_method"));
    assertEquals("st4te", q.get("state"));
    assertEquals("tokensink", q.get("originator"));
    assertEquals("true", q.get("codex_cli_simplified_flow"));
    assertEquals("true", q.get("id_token_add_organizations"));
    assertTrue(u.toString().startsWith("https://auth.openai.com/oauth/authorize?"));
  }

  @Test
  void configuredProvider_winsOverBuiltIn() {
    ProviderSettings mine =
        new ProviderSettings(
            null,
            "https://idp.example/a",
            "https://idp.example/t",
            "mine",
            null,
            null,
            null,
            null,
            "json",
            "sub",
            null,
            null);
    Providers providers = new Providers(Map.of("openai-codex", mine));
    ProviderSettings p = providers.forLogin("openai-codex");
    assertEquals("mine", p.clientId());
    assertEquals("openai-codex", p.id());
    assertEquals("http://127.0.0.1:1455/auth/callback", p.redirectUri());
  }

  @Test
  void unknownProvider_listsKnownOnes() {
    ProviderException e =
        assertThrows(
            ProviderException.class,
            () -> new Providers(Map.of("my-idp", complete())).forLogin("nope"));
    assertTrue(e.getMessage().contains("unknown provider 'nope'"), e.getMessage());
    assertTrue(e.getMessage().contains("my-idp, openai-codex"), e.getMessage());
  }

  @Test
  void keyOnlyProvider_pointsToTheRightCommand() {
    Providers p = Providers.builtIn();
    assertTrue(p.isKeyOrTokenOnly("anthropic"));
    assertTrue(
        assertThrows(ProviderException.class, () -> p.forLogin("anthropic"))
            .getMessage()
            .contains("setup-token"));
    assertTrue(
        assertThrows(ProviderException.class, () -> p.forLogin("groq"))
            .getMessage()
            .contains("add-key --provider groq"));
  }

  @Test
  void incompleteConfig_namesTheMissingKey() {
    ProviderSettings noToken =
        new ProviderSettings(
            null,
            "https://idp.example/a",
            null,
            "c",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    ProviderException e =
        assertThrows(
            ProviderException.class,
            () -> new Providers(Map.of("my-idp", noToken)).forLogin("my-idp"));
    assertTrue(e.getMessage().contains("tokensink.providers.my-idp.token-url"), e.getMessage());
    ProviderSettings noClient =
        new ProviderSettings(
            null,
            "https://idp.example/a",
            "https://idp.example/t",
            " ",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    assertTrue(
        assertThrows(
                ProviderException.class, () -> new Providers(Map.of("x", noClient)).forLogin("x"))
            .getMessage()
            .contains("tokensink.providers.x.client-id"));
    ProviderSettings badUrl =
        new ProviderSettings(
            null,
            "idp.example/a",
            "https://idp.example/t",
            "c",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    assertTrue(
        assertThrows(
                ProviderException.class, () -> new Providers(Map.of("x", badUrl)).forLogin("x"))
            .getMessage()
            .contains("tokensink.providers.x.authorize-url"));
  }

  private static ProviderSettings complete() {
    return new ProviderSettings(
        null,
        "https://idp.example/a",
        "https://idp.example/t",
        "c",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }
}
