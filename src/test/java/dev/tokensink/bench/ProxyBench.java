package dev.tokensink.bench;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bench process (not a test): the credential proxy's overhead against calling the same upstream
 * directly, in one run. Starts a fake provider (Vert.x, in this JVM) and the packaged service (a
 * child JVM) whose provider {@code openai} points at it, then alternates rounds direct / through
 * the proxy for 1 and 64 concurrent requests, non-streamed (a ~400-byte JSON answer) and streamed
 * (20 server-sent events). Prints a markdown table: median over rounds of p50, p99 and throughput
 * of each path, the added p50/p99 and the throughput ratio.
 *
 * <p>Usage: {@code ProxyBench APP_DIR WORK_DIR ROUND_SECONDS REPS}.
 */
public final class ProxyBench {
  private static final String KEY = "sk-proj-bench-proxy-key-000000000000";
  private static final String BODY =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}";
  private static final String STREAM_BODY =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  private static final Buffer ANSWER =
      Buffer.buffer(
          "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1764000000,"
              + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
              + "\"assistant\",\"content\":\"Hello! How can I help you today? This answer is a"
              + " little longer than a greeting.\",\"refusal\":null},\"logprobs\":null,"
              + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,"
              + "\"completion_tokens\":20,\"total_tokens\":29}}");
  private static final Buffer CHUNK =
      Buffer.buffer(
          "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":"
              + "[{\"index\":0,\"delta\":{\"content\":\"token \"}}]}\n\n");
  private static final int CHUNKS = 20;

  private ProxyBench() {}

  record Round(long[] nanos, double seconds) {
    double throughput() {
      return nanos.length / seconds;
    }

    double pct(double p) {
      long[] s = nanos.clone();
      Arrays.sort(s);
      return s.length == 0
          ? Double.NaN
          : s[(int) Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] / 1e6;
    }
  }

  public static void main(String[] args) throws Exception {
    Path app = Path.of(args[0]);
    Path work = Path.of(args[1]);
    int seconds = Integer.parseInt(args[2]);
    int reps = Integer.parseInt(args[3]);
    Vertx vertx =
        Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setPreferNativeTransport(true));
    HttpServer upstream = upstream(vertx);
    int upstreamPort = upstream.actualPort();
    Path state = work.resolve("proxy-state");
    Files.createDirectories(state);
    try (FileStore store = new FileStore(FileStoreSettings.of(state), Clock.systemUTC())) {
      store.update(
          AgentId.of("bench"),
          tx -> {
            tx.write(
                tx.current()
                    .withProfile(
                        Profile.of(
                            ProfileId.parse("openai:bench"),
                            new Credential.ApiKey(Secret.of(KEY), null, null))));
            return null;
          });
    }
    int proxyPort = freePort();
    int httpPort = freePort();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dtokensink.state-dir=" + state,
                "-Dtokensink.grpc.port=" + freePort(),
                "-Dtokensink.http.port=" + httpPort,
                "-Dtokensink.proxy.port=" + proxyPort,
                "-Dtokensink.jobs.interval=1h",
                "-Dtokensink.providers.openai.api-base-url=http://127.0.0.1:" + upstreamPort,
                "-Dquarkus.log.category.\"tokensink.audit\".level=WARN",
                "-jar",
                app.resolve("quarkus-run.jar").toString(),
                "serve"));
    Process service =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("proxy-service.log").toFile())
            .start();
    try {
      awaitReady(httpPort);
      HttpClient client =
          vertx.createHttpClient(
              new HttpClientOptions().setMaxPoolSize(128).setKeepAlive(true).setPipelining(false));
      RequestOptions direct =
          new RequestOptions()
              .setHost("127.0.0.1")
              .setPort(upstreamPort)
              .setURI("/v1/chat/completions")
              .setMethod(HttpMethod.POST);
      RequestOptions proxied =
          new RequestOptions()
              .setHost("127.0.0.1")
              .setPort(proxyPort)
              .setURI("/bench/openai/v1/chat/completions")
              .setMethod(HttpMethod.POST);
      System.out.println(
          "| mode | concurrency | direct p50 ms | proxy p50 ms | added p50 ms | direct p99 ms |"
              + " proxy p99 ms | added p99 ms | direct req/s | proxy req/s | throughput ratio |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
      for (boolean streamed : new boolean[] {false, true}) {
        for (int concurrency : new int[] {1, 64}) {
          Buffer body = Buffer.buffer(streamed ? STREAM_BODY : BODY);
          // warm-up: JIT of both paths (and the service's)
          round(client, direct, body, concurrency, Math.max(2, seconds));
          round(client, proxied, body, concurrency, Math.max(2, seconds));
          List<Round> d = new ArrayList<>();
          List<Round> p = new ArrayList<>();
          for (int i = 0; i < reps; i++) {
            d.add(round(client, direct, body, concurrency, seconds));
            p.add(round(client, proxied, body, concurrency, seconds));
          }
          double d50 = median(d.stream().mapToDouble(r -> r.pct(0.50)).toArray());
          double p50 = median(p.stream().mapToDouble(r -> r.pct(0.50)).toArray());
          double d99 = median(d.stream().mapToDouble(r -> r.pct(0.99)).toArray());
          double p99 = median(p.stream().mapToDouble(r -> r.pct(0.99)).toArray());
          double dt = median(d.stream().mapToDouble(Round::throughput).toArray());
          double pt = median(p.stream().mapToDouble(Round::throughput).toArray());
          double[] ratios = new double[reps];
          for (int i = 0; i < reps; i++) {
            ratios[i] = p.get(i).throughput() / d.get(i).throughput();
          }
          System.out.printf(
              Locale.ROOT,
              "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.0f | %.0f | %.2f |%n",
              streamed ? "streamed (20 SSE events)" : "non-streamed",
              concurrency,
              d50,
              p50,
              p50 - d50,
              d99,
              p99,
              p99 - d99,
              dt,
              pt,
              median(ratios));
        }
      }
      client.close();
    } finally {
      service.destroy();
      service.waitFor(10, TimeUnit.SECONDS);
      service.destroyForcibly();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** A closed loop of {@code concurrency} requests in flight for {@code seconds}. */
  private static Round round(
      HttpClient client, RequestOptions target, Buffer body, int concurrency, int seconds)
      throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long[][] lat = new long[concurrency][];
    int[] counts = new int[concurrency];
    AtomicBoolean failed = new AtomicBoolean();
    List<CompletableFuture<Void>> loops = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < concurrency; i++) {
      int slot = i;
      lat[slot] = new long[1 << 16];
      CompletableFuture<Void> done = new CompletableFuture<>();
      loops.add(done);
      loop(client, target, body, end, lat, counts, slot, done, failed);
    }
    CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new))
        .get(seconds + 60L, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (failed.get()) {
      throw new IllegalStateException("a request failed; see the service log");
    }
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int i = 0; i < concurrency; i++) {
      System.arraycopy(lat[i], 0, all, at, counts[i]);
      at += counts[i];
    }
    return new Round(all, elapsed);
  }

  private static void loop(
      HttpClient client,
      RequestOptions target,
      Buffer body,
      long end,
      long[][] lat,
      int[] counts,
      int slot,
      CompletableFuture<Void> done,
      AtomicBoolean failed) {
    if (System.nanoTime() >= end || failed.get()) {
      done.complete(null);
      return;
    }
    long t0 = System.nanoTime();
    client
        .request(target)
        .compose(
            req ->
                req.putHeader("content-type", "application/json")
                    .putHeader("authorization", "Bearer any-value-on-loopback")
                    .send(body))
        .compose(
            resp ->
                resp.statusCode() == 200
                    ? resp.body()
                    : Future.failedFuture("status " + resp.statusCode()))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                System.err.println("request failed: " + ar.cause());
                failed.set(true);
              } else {
                long[] l = lat[slot];
                if (counts[slot] == l.length) {
                  lat[slot] = l = Arrays.copyOf(l, l.length * 2);
                }
                l[counts[slot]++] = System.nanoTime() - t0;
              }
              loop(client, target, body, end, lat, counts, slot, done, failed);
            });
  }

  private static HttpServer upstream(Vertx vertx) throws Exception {
    return vertx
        .createHttpServer()
        .requestHandler(
            req ->
                req.body()
                    .onSuccess(
                        b -> {
                          HttpServerResponse r = req.response();
                          if (b.toString().contains("\"stream\":true")) {
                            r.setChunked(true).putHeader("content-type", "text/event-stream");
                            for (int i = 0; i < CHUNKS; i++) {
                              r.write(CHUNK);
                            }
                            r.end(Buffer.buffer("data: [DONE]\n\n"));
                          } else {
                            r.putHeader("content-type", "application/json").end(ANSWER);
                          }
                        }))
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static void awaitReady(int httpPort) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200); // polling a starting process, not waiting for our own code
    }
    throw new IllegalStateException("the service did not turn ready in 120 s");
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
