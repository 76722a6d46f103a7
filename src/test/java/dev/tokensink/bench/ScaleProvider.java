package dev.tokensink.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bench process (not a test) for the scale run: generates a state dir of {@code AGENTS × PER_AGENT}
 * OAuth profiles of provider {@code fleet} with one-hour tokens whose expiries all fall in one
 * minute, and serves a fake token endpoint for it that answers at once, rotates refresh tokens,
 * counts reuses, calls per second and the most calls in flight at once.
 *
 * <p>Usage: {@code ScaleProvider STATE_DIR AGENTS PER_AGENT LEAD_SECONDS}: the proactive refresh
 * window of the earliest profile opens about {@code LEAD_SECONDS} after generation (expiry = now +
 * lead + 16.5 min + a uniform 0–60 s: the window is 15 min ± 10 % jitter). Prints {@code generated
 * MS} and {@code ready PORT}; the stdin line {@code stats} prints {@code stats calls=… reuses=…
 * unknown=… maxInFlight=… perSecond=SECOND:COUNT,…}.
 */
public final class ScaleProvider {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private final Set<String> live = ConcurrentHashMap.newKeySet();
  private final Set<String> spent = ConcurrentHashMap.newKeySet();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong reuses = new AtomicLong();
  private final AtomicLong unknown = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final Map<Long, AtomicInteger> perSecond = new ConcurrentHashMap<>();
  private final AtomicLong serial = new AtomicLong();

  private ScaleProvider() {}

  public static void main(String[] args) throws Exception {
    Path stateDir = Path.of(args[0]);
    int agents = Integer.parseInt(args[1]);
    int perAgent = Integer.parseInt(args[2]);
    long leadMs = Long.parseLong(args[3]) * 1000;
    ScaleProvider p = new ScaleProvider();
    ExecutorService pool = Executors.newFixedThreadPool(256);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    server.createContext("/oauth/token", p::token);
    server.setExecutor(pool);
    server.start();
    int port = server.getAddress().getPort();
    long t0 = System.currentTimeMillis();
    p.generate(stateDir, agents, perAgent, leadMs, port);
    System.out.println("generated " + (System.currentTimeMillis() - t0));
    System.out.println("ready " + port);
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.equals("stats")) {
        System.out.println(p.stats());
        System.out.flush();
      }
    }
    server.stop(0);
    pool.shutdownNow();
  }

  private void generate(Path stateDir, int agents, int perAgent, long leadMs, int port)
      throws IOException {
    Files.createDirectories(stateDir);
    Files.writeString(
        stateDir.resolve("config.yaml"),
        """
        tokensink:
          providers:
            fleet:
              authorize-url: http://127.0.0.1:%d/oauth/authorize
              token-url: http://127.0.0.1:%d/oauth/token
              client-id: fleet-client
              redirect-uri: http://127.0.0.1:1455/auth/callback
        """
            .formatted(port, port));
    Clock clock = Clock.systemUTC();
    long base = clock.millis() + leadMs + 990_000; // 16.5 min: the widest jittered window
    SplittableRandom random = new SplittableRandom(42);
    try (FileStore store = new FileStore(FileStoreSettings.of(stateDir), clock)) {
      for (int a = 0; a < agents; a++) {
        AgentId agent = AgentId.of(String.format("agent-%04d", a));
        store.update(
            agent,
            tx -> {
              AgentSnapshot s = tx.current();
              for (int i = 0; i < perAgent; i++) {
                String refresh = token(random);
                live.add(refresh);
                s =
                    s.withProfile(
                        Profile.of(
                            ProfileId.parse(String.format("fleet:p%03d", i)),
                            new Credential.OAuth(
                                Secret.of(token(random)),
                                Secret.of(refresh),
                                base + random.nextLong(60_000),
                                "acct-" + i,
                                null)));
              }
              tx.write(s);
              return null;
            });
      }
    }
  }

  /** 64 characters from a URL-safe alphabet, like an opaque OAuth token. */
  private static String token(SplittableRandom random) {
    char[] c = new char[64];
    for (int i = 0; i < c.length; i++) {
      c[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return new String(c);
  }

  private void token(HttpExchange ex) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      calls.incrementAndGet();
      perSecond
          .computeIfAbsent(System.currentTimeMillis() / 1000, k -> new AtomicInteger())
          .incrementAndGet();
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String refresh = null;
      for (String kv : body.split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0 && kv.substring(0, eq).equals("refresh_token")) {
          refresh = URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
        }
      }
      if (refresh == null || !live.remove(refresh)) {
        if (refresh != null && spent.contains(refresh)) {
          reuses.incrementAndGet();
        } else {
          unknown.incrementAndGet();
        }
        send(ex, 400, "{\"error\":\"invalid_grant\"}");
        return;
      }
      spent.add(refresh);
      SplittableRandom random = new SplittableRandom(serial.incrementAndGet());
      String next = token(random);
      live.add(next);
      send(
          ex,
          200,
          "{\"access_token\":\""
              + token(random)
              + "\",\"refresh_token\":\""
              + next
              + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private static void send(HttpExchange ex, int status, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }

  private String stats() {
    StringBuilder s = new StringBuilder();
    new TreeMap<>(perSecond)
        .forEach(
            (k, v) -> s.append(s.length() == 0 ? "" : ",").append(k).append(':').append(v.get()));
    return "stats calls="
        + calls.get()
        + " reuses="
        + reuses.get()
        + " unknown="
        + unknown.get()
        + " maxInFlight="
        + maxInFlight.get()
        + " perSecond="
        + (s.length() == 0 ? "-" : s);
  }
}
