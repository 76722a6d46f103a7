package dev.tokensink.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tokensink.testing.FakeUpstream;
import dev.tokensink.testing.ProxyProfile;
import dev.tokensink.testing.ProxyTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI and Anthropic Java SDKs, unmodified, with only their base URL set to the
 * proxy and their API key set to a caller token: a call and a streamed call each. The provider sees
 * the stored credential and never the caller token; the client never sees the credential.
 */
@QuarkusTest
@TestProfile(ProxyProfile.class)
class ProxySdkTest extends ProxyTestBase {
  private static final String OPENAI_KEY = "sk-proj-stored-openai-key-5d1e0b7c9a";
  private static final String ANTHROPIC_KEY = "sk-ant-api03-stored-anthropic-key-77c1f0";

  private OpenAIClient openAi() {
    return OpenAIOkHttpClient.builder()
        .baseUrl(base("main", "openai") + "/v1")
        .apiKey(ProxyProfile.TOKEN_ALL)
        .maxRetries(0)
        .build();
  }

  private AnthropicClient anthropic() {
    return AnthropicOkHttpClient.builder()
        .baseUrl(base("main", "anthropic"))
        .apiKey(ProxyProfile.TOKEN_ALL)
        .maxRetries(0)
        .build();
  }

  private static ChatCompletionCreateParams chat() {
    return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("Hi").build();
  }

  private static MessageCreateParams message() {
    return MessageCreateParams.builder()
        .model("claude-sonnet-4-5")
        .maxTokens(64)
        .addUserMessage("Hi")
        .build();
  }

  @Test
  void openAiSdk_call_upstreamSeesStoredKeyNotCallerToken() {
    store("main", apiKey("openai:default", OPENAI_KEY));
    HttpResponseFor<ChatCompletion> r =
        openAi().chat().completions().withRawResponse().create(chat());
    ChatCompletion c = r.parse();
    assertEquals("Hello from upstream", c.choices().get(0).message().content().orElseThrow());
    FakeUpstream.Seen seen = upstream.last();
    assertEquals("/openai/v1/chat/completions", seen.path());
    assertEquals("Bearer " + OPENAI_KEY, seen.header("authorization"));
    assertNoCallerToken();
    assertEquals("openai:default", r.headers().values("x-tokensink-profile").get(0));
    for (String name : r.headers().names()) {
      for (String v : r.headers().values(name)) {
        assertFalse(v.contains(OPENAI_KEY), "the client saw the credential in " + name);
      }
    }
  }

  @Test
  void openAiSdk_streamedCall_chunksArrive() {
    store("main", apiKey("openai:default", OPENAI_KEY));
    String text;
    try (var stream = openAi().chat().completions().createStreaming(chat())) {
      text =
          stream.stream()
              .map(ChatCompletionChunk::choices)
              .flatMap(java.util.List::stream)
              .map(ch -> ch.delta().content().orElse(""))
              .collect(Collectors.joining());
    }
    assertEquals("part0 part1 part2 ", text);
    assertEquals("Bearer " + OPENAI_KEY, upstream.last().header("authorization"));
    assertNoCallerToken();
  }

  @Test
  void anthropicSdk_call_apiKeyAsXApiKey() {
    store("main", apiKey("anthropic:default", ANTHROPIC_KEY));
    var r = anthropic().messages().withRawResponse().create(message());
    Message m = r.parse();
    assertEquals("Hello from upstream", m.content().get(0).text().orElseThrow().text());
    FakeUpstream.Seen seen = upstream.last();
    assertEquals("/anthropic/v1/messages", seen.path());
    assertEquals(ANTHROPIC_KEY, seen.header("x-api-key"));
    assertNull(seen.header("authorization"));
    assertTrue(seen.header("anthropic-version") != null, "the SDK's own headers pass through");
    assertNoCallerToken();
    for (String name : r.headers().names()) {
      for (String v : r.headers().values(name)) {
        assertFalse(v.contains(ANTHROPIC_KEY), "the client saw the credential in " + name);
      }
    }
  }

  @Test
  void anthropicSdk_streamedCall_eventsArrive() {
    store("main", apiKey("anthropic:default", ANTHROPIC_KEY));
    String text;
    try (StreamResponse<RawMessageStreamEvent> stream =
        anthropic().messages().createStreaming(message())) {
      text =
          stream.stream()
              .flatMap(e -> e.contentBlockDelta().stream())
              .flatMap(d -> d.delta().text().stream())
              .map(t -> t.text())
              .collect(Collectors.joining());
    }
    assertEquals("part0 part1 part2 ", text);
    assertEquals(ANTHROPIC_KEY, upstream.last().header("x-api-key"));
    assertNoCallerToken();
  }

  private static void assertNoCallerToken() {
    for (FakeUpstream.Seen s : upstream.seen()) {
      s.headers()
          .forEach(
              (k, vs) ->
                  vs.forEach(
                      v ->
                          assertFalse(
                              v.contains(ProxyProfile.TOKEN_ALL),
                              "the provider saw the caller token in " + k)));
      assertFalse(s.bodyText().contains(ProxyProfile.TOKEN_ALL));
    }
  }
}
