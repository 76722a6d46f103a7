package dev.tokensink.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tokensink.config.ProviderSettings;
import dev.tokensink.testing.StrictGrants.Answer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A strict OAuth2 authorization server on 127.0.0.1 (ephemeral port) for tests: authorization code
 * with mandatory PKCE S256 and state, one-time codes, refresh-token rotation with reuse detection
 * (reuse revokes the whole grant, as OpenAI and Auth0 do), RFC 7009 revocation, JWT access tokens
 * carrying OpenAI's account claim. Fault switches and a {@link Gate} let tests break or park the
 * token endpoint. Counters are thread-safe. Close it after the test class.
 */
public final class StrictOAuthServer implements AutoCloseable {
  public static final String CLIENT_ID = "strict-client";

  /** Who signs in at the authorize endpoint. */
  public record Account(String sub, String accountId, String email) {}

  /** A fresh (access, refresh) pair, see {@link #seedGrant()}. */
  public record TokenPair(String access, String refresh) {}

  /** A recorded request: its content type and its parameters (form, JSON or query). */
  public record Recorded(String contentType, Map<String, String> params) {}

  /** How the token and revoke endpoints misbehave. */
  public enum Fault {
    NONE,
    SERVER_ERROR,
    HTML,
    GARBAGE,
    /** The connection closes without an answer; the request is not processed. */
    DROP_CONNECTION,
    /** The refresh is processed (the token rotates), then the connection closes unanswered. */
    ROTATE_THEN_RESET,
    /** 503 with an OAuth {@code temporarily_unavailable} error; nothing is processed. */
    UNAVAILABLE_503
  }

  public static final Account DEFAULT_ACCOUNT = new Account("user-1", "acct-1", "user@example.com");

  private static final ObjectMapper JSON = new ObjectMapper();

  private volatile HttpServer server;
  private final ExecutorService pool;
  private final StrictGrants grants;
  private final Set<String> redirectUris = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> tokenCalls = new ConcurrentHashMap<>();
  private final AtomicInteger authorizeCalls = new AtomicInteger();
  private final AtomicInteger revokeCalls = new AtomicInteger();
  private volatile Account account = DEFAULT_ACCOUNT;
  private volatile boolean deny;
  private volatile String clientSecret;
  private volatile Fault fault = Fault.NONE;
  private volatile Answer canned;
  private volatile Gate gate;
  private volatile Recorded lastToken;
  private volatile Recorded lastAuthorize;
  private final AtomicInteger faultBudget = new AtomicInteger(-1);
  private final AtomicInteger holdBudget = new AtomicInteger();
  private final AtomicInteger introspectCalls = new AtomicInteger();
  private final AtomicInteger invalidGrants = new AtomicInteger();
  private volatile Duration hold = Duration.ZERO;
  private volatile java.util.concurrent.CountDownLatch paused;
  private final int boundPort;
  private volatile HttpServer refusing;

  private StrictOAuthServer(Clock clock, int port) throws IOException {
    grants = new StrictGrants(clock, CLIENT_ID);
    pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "strict-oauth");
              t.setDaemon(true);
              return t;
            });
    server = listen(port);
    boundPort = server.getAddress().getPort();
  }

  private HttpServer listen(int port) throws IOException {
    HttpServer s =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    s.setExecutor(pool);
    s.createContext("/oauth/authorize", this::guarded);
    s.createContext("/oauth/token", this::guarded);
    s.createContext("/oauth/revoke", this::guarded);
    s.createContext("/oauth/introspect", this::guarded);
    s.start();
    return s;
  }

  /** Starts a server whose tokens take {@code iat}/{@code exp} from {@code clock}. */
  public static StrictOAuthServer start(Clock clock) {
    return start(clock, 0);
  }

  /** Starts on a fixed loopback port (for a service configured before the server exists). */
  public static StrictOAuthServer start(Clock clock, int port) {
    try {
      return new StrictOAuthServer(clock, port);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the strict OAuth server", e);
    }
  }

  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + boundPort);
  }

  /** RFC 7662 introspection: {@code active} is true for a grant's current refresh token only. */
  public URI introspectUri() {
    return baseUri().resolve("/oauth/introspect");
  }

  public URI authorizeUri() {
    return baseUri().resolve("/oauth/authorize");
  }

  public URI tokenUri() {
    return baseUri().resolve("/oauth/token");
  }

  public URI revokeUri() {
    return baseUri().resolve("/oauth/revoke");
  }

  /**
   * Settings of a provider that points at this server (json: JSON token requests instead of form).
   */
  public ProviderSettings provider(String id, String redirectUri, boolean json) {
    allowRedirectUri(redirectUri);
    return new ProviderSettings(
        id,
        authorizeUri().toString(),
        tokenUri().toString(),
        CLIENT_ID,
        clientSecret,
        List.of("openid", "profile", "email", "offline_access"),
        redirectUri,
        Map.of("prompt", "login"),
        json ? "json" : "form",
        "/https:~1~1api.openai.com~1auth/chatgpt_account_id",
        revokeUri().toString(),
        Duration.ZERO);
  }

  public StrictOAuthServer allowRedirectUri(String uri) {
    redirectUris.add(uri);
    return this;
  }

  /** Requires this client secret (in the body or HTTP Basic) on token and revoke calls. */
  public StrictOAuthServer requireClientSecret(String secret) {
    this.clientSecret = secret;
    return this;
  }

  public StrictOAuthServer accessTokenLifetime(Duration lifetime) {
    grants.accessLifetime = lifetime;
    return this;
  }

  /** false: refresh responses carry no refresh token and the old one stays valid. */
  public StrictOAuthServer rotateRefreshTokens(boolean rotate) {
    grants.rotate = rotate;
    return this;
  }

  /** A spent refresh token is still accepted within this grace after its rotation. */
  public StrictOAuthServer refreshGrace(Duration grace) {
    grants.grace = grace;
    return this;
  }

  /** The account that signs in at the next authorize requests. */
  public StrictOAuthServer signInAs(Account who) {
    this.account = who;
    return this;
  }

  /** true: the authorize endpoint redirects with {@code error=access_denied}. */
  public StrictOAuthServer denyAuthorization(boolean denyIt) {
    this.deny = denyIt;
    return this;
  }

  public StrictOAuthServer fault(Fault f) {
    this.fault = f;
    faultBudget.set(-1);
    return this;
  }

  /** The fault applies to the next {@code times} token requests only, then none. */
  public StrictOAuthServer faultNext(Fault f, int times) {
    this.fault = f;
    faultBudget.set(times);
    return this;
  }

  /**
   * The next {@code times} refresh requests are held {@code d} (real time) after they arrived and
   * were counted, then handled as usual (processed, and answered if the client still listens).
   */
  public StrictOAuthServer holdNext(int times, Duration d) {
    this.hold = d;
    holdBudget.set(times);
    return this;
  }

  /**
   * Pauses the whole provider, as a stopped process: connections are accepted, token and
   * introspection requests queue (counted on arrival) and are handled after {@link #resume()}.
   */
  public StrictOAuthServer pause() {
    paused = new java.util.concurrent.CountDownLatch(1);
    return this;
  }

  public StrictOAuthServer resume() {
    java.util.concurrent.CountDownLatch p = paused;
    paused = null;
    if (p != null) {
      p.countDown();
    }
    return this;
  }

  /** Stops listening: connections are refused until {@link #acceptConnections()}. */
  public synchronized StrictOAuthServer refuseConnections() {
    if (refusing == null) {
      refusing = server;
      server.stop(0);
    }
    return this;
  }

  /** Listens again on the same port. */
  public synchronized StrictOAuthServer acceptConnections() {
    if (refusing != null) {
      try {
        server = listen(boundPort);
      } catch (IOException e) {
        throw new IllegalStateException("cannot listen again on port " + boundPort, e);
      }
      refusing = null;
    }
    return this;
  }

  /** Token and revoke endpoints answer exactly this (status, JSON or other body) until reset. */
  public StrictOAuthServer respondWith(int status, String jsonBody) {
    try {
      this.canned =
          new Answer(
              status, (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(jsonBody));
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
    return this;
  }

  /** Token requests park at this gate (after being counted) until the test opens it; null: none. */
  public StrictOAuthServer gate(Gate g) {
    this.gate = g;
    return this;
  }

  /**
   * Back to normal behaviour: no fault, no canned answer, no gate (an installed gate is opened).
   */
  public StrictOAuthServer reset() {
    fault = Fault.NONE;
    faultBudget.set(-1);
    holdBudget.set(0);
    resume();
    canned = null;
    deny = false;
    Gate g = gate;
    gate = null;
    if (g != null) {
      g.open();
    }
    return this;
  }

  /** A fresh grant for {@link #DEFAULT_ACCOUNT}, without going through authorize. */
  public TokenPair seedGrant() {
    return seedGrant(DEFAULT_ACCOUNT);
  }

  public TokenPair seedGrant(Account who) {
    return grants.seed(who, "openid profile email offline_access");
  }

  /** Whether the grant behind this refresh (or access) token is revoked. */
  public boolean isRevoked(String token) {
    return grants.isRevoked(token);
  }

  /**
   * Whether this server issued the access token and its grant is not revoked (its expiry is the
   * JWT's).
   */
  public boolean issuedAccessToken(String token) {
    return grants.accessIssued(token);
  }

  /** The grant's refresh token that is valid now, given any refresh token it ever had. */
  public String currentRefreshToken(String anyRefreshOfGrant) {
    return grants.currentRefresh(anyRefreshOfGrant);
  }

  public int tokenCalls(String grantType) {
    AtomicInteger n = tokenCalls.get(grantType);
    return n == null ? 0 : n.get();
  }

  public int totalTokenCalls() {
    return tokenCalls.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  public int refreshCalls() {
    return tokenCalls("refresh_token");
  }

  /** Answers {@code invalid_grant} given to refresh requests (reuse, revoked, unknown token). */
  public int invalidGrants() {
    return invalidGrants.get();
  }

  public int introspectCalls() {
    return introspectCalls.get();
  }

  /** Whether this refresh token is the current one of a live grant (what introspection says). */
  public boolean isActiveRefreshToken(String token) {
    return grants.activeRefresh(token);
  }

  public int reusesDetected() {
    return grants.reuses.get();
  }

  public int grantsRevoked() {
    return grants.revokedGrants.get();
  }

  public int authorizeCalls() {
    return authorizeCalls.get();
  }

  public int revokeCalls() {
    return revokeCalls.get();
  }

  public Recorded lastTokenRequest() {
    return lastToken;
  }

  public Recorded lastAuthorizeRequest() {
    return lastAuthorize;
  }

  @Override
  public void close() {
    reset();
    if (refusing == null) {
      server.stop(0);
    }
    pool.shutdownNow();
  }

  private void guarded(HttpExchange ex) {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      switch (path) {
        case "/oauth/authorize" -> authorize(ex);
        case "/oauth/token" -> token(ex);
        case "/oauth/revoke" -> revoke(ex);
        case "/oauth/introspect" -> introspect(ex);
        default -> StrictHttp.send(ex, 404, "text/plain", "not found");
      }
    } catch (IOException | RuntimeException e) {
      // the client went away, or a test bug: nothing useful to answer
    }
  }

  private void authorize(HttpExchange ex) throws IOException {
    authorizeCalls.incrementAndGet();
    Map<String, String> q = HttpForms.parse(ex.getRequestURI().getRawQuery());
    lastAuthorize = new Recorded(null, q);
    String redirect = q.get("redirect_uri");
    if (!"GET".equals(ex.getRequestMethod())
        || !CLIENT_ID.equals(q.get("client_id"))
        || redirect == null
        || !redirectUris.contains(redirect)) {
      StrictHttp.send(ex, 400, "text/plain", "invalid client_id or unregistered redirect_uri");
      return;
    }
    Map<String, String> back = new LinkedHashMap<>();
    String state = q.get("state");
    if (!"code".equals(q.get("response_type"))) {
      back.put("error", "unsupported_response_type");
    } else if (q.get("code_challenge") == null
        || !"S256".equals(q.get("code_challenge_method"))
        || state == null
        || state.isEmpty()) {
      back.put("error", "invalid_request");
      back.put("error_description", "PKCE S256 and state are required");
    } else if (deny) {
      back.put("error", "access_denied");
      back.put("error_description", "The user denied the request");
    } else {
      back.put(
          "code",
          grants.newCode(redirect, q.get("code_challenge"), account, q.getOrDefault("scope", "")));
    }
    if (state != null) {
      back.put("state", state);
    }
    String location = redirect + (redirect.contains("?") ? "&" : "?") + HttpForms.encode(back);
    ex.getResponseHeaders().set("Location", location);
    ex.sendResponseHeaders(302, -1);
  }

  private void token(HttpExchange ex) throws IOException {
    Recorded req = StrictHttp.readParams(ex);
    lastToken = req;
    Map<String, String> p = req.params();
    String grantType = p.getOrDefault("grant_type", "");
    tokenCalls.computeIfAbsent(grantType, k -> new AtomicInteger()).incrementAndGet();
    Fault f = takeFault(); // decided on arrival, so a request that arrives later is not affected
    awaitResume();
    if ("refresh_token".equals(grantType) && holdBudget.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      sleep(hold);
    }
    if (f == Fault.ROTATE_THEN_RESET && "refresh_token".equals(grantType)) {
      grants.refresh(p.get("refresh_token"));
      ex.close(); // rotated at the provider; the client never hears of it
      return;
    }
    if (!passGateAndFaults(ex, f)) {
      return;
    }
    Answer a;
    if (!clientAuthenticated(ex, p)) {
      a = StrictGrants.error(401, "invalid_client", "client authentication failed");
    } else if ("authorization_code".equals(grantType)) {
      a = grants.exchange(p.get("code"), p.get("code_verifier"), p.get("redirect_uri"));
    } else if ("refresh_token".equals(grantType)) {
      a = grants.refresh(p.get("refresh_token"));
      if ("invalid_grant".equals(a.body().path("error").asText())) {
        invalidGrants.incrementAndGet();
      }
    } else {
      a =
          StrictGrants.error(
              400,
              "unsupported_grant_type",
              "grant_type must be authorization_code or refresh_token");
    }
    StrictHttp.send(ex, a.status(), "application/json", JSON.writeValueAsString(a.body()));
  }

  private void revoke(HttpExchange ex) throws IOException {
    revokeCalls.incrementAndGet();
    Recorded req = StrictHttp.readParams(ex);
    if (!passGateAndFaults(ex, takeFault())) {
      return;
    }
    if (!clientAuthenticated(ex, req.params())) {
      StrictHttp.send(ex, 401, "application/json", "{\"error\":\"invalid_client\"}");
      return;
    }
    String token = req.params().get("token");
    if (token == null) {
      StrictHttp.send(ex, 400, "application/json", "{\"error\":\"invalid_request\"}");
      return;
    }
    grants.revokeToken(token);
    ex.sendResponseHeaders(200, -1);
  }

  private void introspect(HttpExchange ex) throws IOException {
    introspectCalls.incrementAndGet();
    Recorded req = StrictHttp.readParams(ex);
    awaitResume();
    if (!clientAuthenticated(ex, req.params())) {
      StrictHttp.send(ex, 401, "application/json", "{\"error\":\"invalid_client\"}");
      return;
    }
    String token = req.params().get("token");
    boolean active = token != null && grants.activeRefresh(token);
    StrictHttp.send(ex, 200, "application/json", "{\"active\":" + active + "}");
  }

  /** The fault for this request, spending one of a {@link #faultNext} budget. */
  private Fault takeFault() {
    Fault f = fault;
    if (f == Fault.NONE) {
      return f;
    }
    int left = faultBudget.getAndUpdate(n -> n > 0 ? n - 1 : n);
    if (left == 0) {
      return Fault.NONE;
    }
    return f;
  }

  private void awaitResume() {
    java.util.concurrent.CountDownLatch p = paused;
    if (p != null) {
      try {
        p.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Applies the gate, then the fault switches; false when the answer was already given. */
  private boolean passGateAndFaults(HttpExchange ex, Fault currentFault) throws IOException {
    Gate g = gate;
    if (g != null) {
      g.pass();
    }
    Answer c = canned;
    if (c != null) {
      StrictHttp.send(ex, c.status(), "application/json", JSON.writeValueAsString(c.body()));
      return false;
    }
    switch (currentFault) {
      case SERVER_ERROR ->
          StrictHttp.send(ex, 500, "application/json", "{\"error\":\"server_error\"}");
      case HTML ->
          StrictHttp.send(
              ex,
              200,
              "text/html",
              "<html><body><h1>502 Bad Gateway</h1><p>upstream unavailable</p></body></html>");
      case GARBAGE ->
          StrictHttp.send(ex, 200, "application/json", "{\"access_token\": \u0000 not json");
      // Closing an exchange before its headers were sent closes the TCP connection: the client sees
      // the connection drop without any HTTP answer.
      case DROP_CONNECTION, ROTATE_THEN_RESET -> ex.close();
      case UNAVAILABLE_503 ->
          StrictHttp.send(
              ex,
              503,
              "application/json",
              "{\"error\":\"temporarily_unavailable\",\"error_description\":\"try later\"}");
      case NONE -> {
        return true;
      }
    }
    return false;
  }

  private boolean clientAuthenticated(HttpExchange ex, Map<String, String> p) {
    String id = p.get("client_id");
    String secret = p.get("client_secret");
    String basic = ex.getRequestHeaders().getFirst("Authorization");
    if (basic != null && basic.startsWith("Basic ")) {
      String[] parts =
          new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8)
              .split(":", 2);
      id = parts[0];
      secret = parts.length > 1 ? parts[1] : null;
    }
    String required = clientSecret;
    return CLIENT_ID.equals(id) && (required == null || required.equals(secret));
  }

  static JsonNode readJson(byte[] body) throws IOException {
    return JSON.readTree(body);
  }
}
