package dev.tokensink.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.testing.FakeUpstream;
import dev.tokensink.testing.Gate;
import dev.tokensink.testing.ProxyProfile;
import dev.tokensink.testing.ProxyTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Server-sent events pass through chunk by chunk: the provider sends its first event, then waits at
 * a gate that only the client opens after it received that event. A proxy that buffered the answer
 * would never deliver it, and the test would time out.
 */
@QuarkusTest
@TestProfile(ProxyProfile.class)
class ProxyStreamingTest extends ProxyTestBase {

  @Test
  void sse_clientGetsFirstChunkBeforeUpstreamSentTheLast() throws Exception {
    store("s1", apiKey("openai:default", "sk-proj-streaming-key-4411aa"));
    Gate gate = new Gate();
    AtomicLong lastSentAt = new AtomicLong();
    List<String> chunks = FakeUpstream.openAiChunks(5);
    upstream.reply(
        (seen, ex) -> {
          FakeUpstream.Sse sse = FakeUpstream.sse(ex);
          sse.send(chunks.get(0));
          gate.pass(); // a pause the client ends
          for (String c : chunks.subList(1, chunks.size())) {
            sse.send(c);
          }
          lastSentAt.set(System.nanoTime());
        });
    HttpResponse<InputStream> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base("s1", "openai") + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + ProxyProfile.TOKEN_ALL)
                .header("content-type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o-mini\",\"stream\":true}"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    assertEquals("text/event-stream", r.headers().firstValue("content-type").orElseThrow());
    List<String> events = new ArrayList<>();
    long firstAt;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String line = in.readLine();
      firstAt = System.nanoTime();
      events.add(line);
      assertTrue(gate.arrivals() == 1 && !gate.isOpen(), "the provider is still holding the rest");
      gate.open();
      while ((line = in.readLine()) != null) {
        if (!line.isEmpty()) {
          events.add(line);
        }
      }
    }
    assertEquals(chunks, events);
    assertTrue(firstAt < lastSentAt.get(), "first chunk received before the last was sent");
  }
}
