package dev.tokensink.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProviderId;
import dev.tokensink.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvKeysTest {
  @TempDir Path tmp;

  static String secret(Profile p) {
    Credential c = p.credential();
    return c instanceof Credential.ApiKey k
        ? k.key().reveal()
        : ((Credential.Token) c).token().reveal();
  }

  @Test
  void dotEnv_parsesCommentsExportAndQuotes() {
    Map<String, String> vars =
        DotEnv.parse(
            """
        # comment
        OPENAI_API_KEY=sk-plain
        export GROQ_API_KEY='gsk-single'
          XAI_API_KEY = "xai-double"
        not a line
        MISTRAL_API_KEY=ms-1 # trailing comment
        """);
    assertEquals("sk-plain", vars.get("OPENAI_API_KEY"));
    assertEquals("gsk-single", vars.get("GROQ_API_KEY"));
    assertEquals("xai-double", vars.get("XAI_API_KEY"));
    assertEquals("ms-1", vars.get("MISTRAL_API_KEY"));
    assertEquals(4, vars.size());
  }

  @Test
  void fixtureDotEnv_givesOpenaiEnvProfile_withQuotesStripped() throws IOException {
    Path dir = Fixtures.copy("openclaw-agents", tmp.resolve("openclaw-agents"));
    EnvKeys keys = new EnvKeys(dir, Map.of());
    Profile openai = keys.profile(ProviderId.of("openai")).orElseThrow();
    assertEquals("openai:env", openai.id().toString());
    assertEquals("sk-FIXTURE-dotenv-openai", secret(openai));
    assertEquals(
        "sk-ant-api03-FIXTURE-dotenv-quoted",
        secret(keys.profile(ProviderId.of("anthropic")).orElseThrow()));
    assertTrue(keys.profile(ProviderId.of("openai-codex")).isEmpty());
    assertTrue(keys.profile(ProviderId.of("openrouter")).isEmpty());
  }

  @Test
  void realEnvironment_beatsDotEnv_andAnthropicOauthTokenComesFirst() throws IOException {
    Files.writeString(
        tmp.resolve(".env"), "OPENAI_API_KEY=from-dotenv\nANTHROPIC_API_KEY=ant-key\n");
    EnvKeys keys =
        new EnvKeys(
            tmp, Map.of("OPENAI_API_KEY", "from-env", "ANTHROPIC_OAUTH_TOKEN", "oat-token"));
    assertEquals("from-env", secret(keys.profile(ProviderId.of("openai")).orElseThrow()));
    Profile anthropic = keys.profile(ProviderId.of("anthropic")).orElseThrow();
    assertInstanceOf(Credential.Token.class, anthropic.credential());
    assertEquals("oat-token", secret(anthropic));
  }

  @Test
  void emptyVariable_isSkipped_nextOneWins() {
    EnvKeys keys =
        new EnvKeys(tmp, Map.of("ANTHROPIC_OAUTH_TOKEN", "", "ANTHROPIC_API_KEY", "ant-key"));
    Profile p = keys.profile(ProviderId.of("anthropic")).orElseThrow();
    assertInstanceOf(Credential.ApiKey.class, p.credential());
    assertEquals("ant-key", secret(p));
  }
}
