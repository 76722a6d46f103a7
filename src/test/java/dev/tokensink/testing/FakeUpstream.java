package dev.tokensink.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A model provider the tests start: records every request it gets (headers, body) and answers as
 * the test scripts it ({@link #reply}). The default script answers OpenAI chat completions and
 * Anthropic messages, plain or streamed as server-sent events, so the official SDKs can talk to it.
 * Built on the JDK's HTTP server, so nothing of tokensink's own HTTP stack is on this side.
 */
public final class FakeUpstream implements AutoCloseable {
  /** One request as the upstream received it. */
  public record Seen(String method, String path, Map<String, List<String>> headers, byte[] body) {
    /** The first value of a header (case-insensitive), or null. */
    public String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The credential it carried: the bearer token, else x-api-key, else api-key. */
    public String credential() {
      String auth = header("authorization");
      if (auth != null && auth.startsWith("Bearer ")) {
        return auth.substring(7);
      }
      return header("x-api-key") != null ? header("x-api-key") : header("api-key");
    }

    public boolean streamed() {
      return bodyText().replace(" ", "").contains("\"stream\":true");
    }
  }

  /** A scripted answer. */
  @FunctionalInterface
  public interface Script {
    void answer(Seen seen, HttpExchange exchange) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private volatile Script script = FakeUpstream::standard;

  private FakeUpstream(HttpServer server) {
    this.server = server;
  }

  public static FakeUpstream start(int port) {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
      FakeUpstream f = new FakeUpstream(s);
      s.setExecutor(f.pool);
      s.createContext("/", f::handle);
      s.start();
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  public Seen last() {
    return seen.get(seen.size() - 1);
  }

  /** Scripts the answers from now on. */
  public FakeUpstream reply(Script s) {
    this.script = s;
    return this;
  }

  /** Forgets what it saw and answers with the standard script again. */
  public void reset() {
    seen.clear();
    script = FakeUpstream::standard;
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      Map<String, List<String>> headers = new TreeMap<>();
      ex.getRequestHeaders()
          .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
      Seen s =
          new Seen(
              ex.getRequestMethod(),
              ex.getRequestURI().toString(),
              headers,
              ex.getRequestBody().readAllBytes());
      seen.add(s);
      script.answer(s, ex);
    } catch (Exception e) {
      try {
        json(ex, 500, "{\"error\":{\"message\":\"fake upstream: " + e + "\"}}");
      } catch (IOException ignored) {
        // the client is gone
      }
    } finally {
      ex.close();
    }
  }

  /** Answers OpenAI chat completions and Anthropic messages (SSE when the body asks to stream). */
  public static void standard(Seen s, HttpExchange ex) throws IOException {
    boolean anthropic = s.path().contains("/messages");
    if (s.streamed()) {
      Sse sse = sse(ex);
      for (String event : anthropic ? anthropicEvents(3) : openAiChunks(3)) {
        sse.send(event);
      }
      return;
    }
    json(
        ex,
        200,
        anthropic
            ? anthropicMessage("Hello from upstream")
            : openAiCompletion("Hello from upstream"));
  }

  public static void json(HttpExchange ex, int status, String body, String... headers)
      throws IOException {
    for (int i = 0; i + 1 < headers.length; i += 2) {
      ex.getResponseHeaders().add(headers[i], headers[i + 1]);
    }
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("content-type", "application/json");
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      ex.getResponseBody().write(b);
    }
  }

  /** Starts a server-sent event stream (chunked); each {@link Sse#send} is flushed at once. */
  public static Sse sse(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().set("content-type", "text/event-stream");
    ex.getResponseHeaders().set("cache-control", "no-cache");
    ex.sendResponseHeaders(200, 0);
    return new Sse(ex.getResponseBody());
  }

  /** An open event stream. */
  public static final class Sse {
    private final OutputStream out;

    Sse(OutputStream out) {
      this.out = out;
    }

    /** Sends one event ({@code event:}/{@code data:} lines) and flushes it. */
    public void send(String event) throws IOException {
      out.write((event + "\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  public static String openAiCompletion(String text) {
    return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1764000000,"
        + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\""
        + text
        + "\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":4,\"total_tokens\":9}}";
  }

  public static List<String> openAiChunks(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
              + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"part"
              + i
              + " \"},\"logprobs\":null,\"finish_reason\":null}]}");
    }
    out.add("data: [DONE]");
    return out;
  }

  public static String anthropicMessage(String text) {
    return "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
        + "\"content\":[{\"type\":\"text\",\"text\":\""
        + text
        + "\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":5,\"output_tokens\":4}}";
  }

  public static List<String> anthropicEvents(int n) {
    List<String> out = new ArrayList<>();
    out.add(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
            + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
            + "\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}");
    out.add(
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
            + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    for (int i = 0; i < n; i++) {
      out.add(
          "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
              + "\"delta\":{\"type\":\"text_delta\",\"text\":\"part"
              + i
              + " \"}}");
    }
    out.add("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}");
    out.add(
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
            + "\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":4}}");
    out.add("event: message_stop\ndata: {\"type\":\"message_stop\"}");
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
