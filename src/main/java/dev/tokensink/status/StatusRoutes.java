package dev.tokensink.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.cache.AgentCache;
import dev.tokensink.config.Settings;
import dev.tokensink.events.EventFilter;
import dev.tokensink.events.EventHub;
import dev.tokensink.events.LifecycleEvent;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.InvalidIdException;
import dev.tokensink.model.ProviderId;
import dev.tokensink.security.Caller;
import dev.tokensink.security.Callers;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The status page on the HTTP port (docs/api.md "Status page"): {@code GET /status} (the page),
 * {@code GET /status/api} (its JSON), {@code GET /status/events} (server-sent events), {@code POST
 * /status/session} (bearer token → session cookie), {@code DELETE /status/session}, and {@code GET
 * /status/assets/*} (scripts and styles from the jar).
 *
 * <p>Access follows the gRPC service's (docs/security.md): with no callers configured, loopback
 * peers only; with callers, a caller's bearer token or the session cookie it was exchanged for, and
 * only that caller's agents. Read-only; off the GetCredential path (it reads the agent cache and
 * subscribes to the event hub, one subscription per open page).
 */
@Singleton
public class StatusRoutes {
  static final String COOKIE = "tokensink_status";
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
          + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  static final long HEARTBEAT_MS = 15_000;

  private record Asset(byte[] bytes, String type) {}

  private static final Map<String, String> ASSET_TYPES =
      Map.of(
          "status.js", "text/javascript; charset=utf-8",
          "login.js", "text/javascript; charset=utf-8",
          "status.css", "text/css; charset=utf-8",
          "icon.svg", "image/svg+xml");

  private final StatusView view;
  private final StatusSessions sessions;
  private final RefreshHistory history;
  private final Callers callers;
  private final EventHub hub;
  private final AgentCache cache;
  private final int maxPagesPerCaller;
  private final Map<String, Asset> assets = new ConcurrentHashMap<>();
  private final byte[] page;
  private final byte[] login;
  private final Set<PageStream> streams = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> openPerCaller = new ConcurrentHashMap<>();
  private Cancellable historyFeed;
  private Long heartbeat;
  private Vertx vertx;

  StatusRoutes(
      StatusView view,
      StatusSessions sessions,
      RefreshHistory history,
      Callers callers,
      EventHub hub,
      AgentCache cache,
      Settings settings) {
    this.view = view;
    this.sessions = sessions;
    this.history = history;
    this.callers = callers;
    this.hub = hub;
    this.cache = cache;
    this.maxPagesPerCaller = settings.grpc().maxStreamsPerCaller().value();
    for (String name : ASSET_TYPES.keySet()) {
      assets.put(name, new Asset(resource(name), ASSET_TYPES.get(name)));
    }
    this.page = resource("index.html");
    this.login = resource("login.html");
  }

  private static byte[] resource(String name) {
    String path = "/dev/tokensink/status/assets/" + name;
    try (InputStream in = StatusRoutes.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void routes(@Observes Router router, Vertx vertx) {
    this.vertx = vertx;
    router.get("/status").handler(this::page);
    router.get("/status/").handler(this::page);
    router.get("/status/api").handler(this::api);
    router.get("/status/events").handler(this::events);
    router.post("/status/session").handler(this::openSession);
    router.delete("/status/session").handler(this::closeSession);
    router.get("/status/assets/:name").handler(this::asset);
  }

  void start(@Observes StartupEvent ev) {
    // refreshes made elsewhere (other replicas, the CLI) reach the history through the store's
    // change notification, as REFRESHED events
    historyFeed =
        hub.subscribe(EventFilter.ALL, Duration.ZERO, List::of)
            .filter(e -> e.type() == LifecycleEvent.Type.REFRESHED)
            .subscribe()
            .with(history::event);
    history.onAppend(() -> streams.forEach(PageStream::historyChanged));
    cache.onUpdate(
        (before, next) -> {
          if (!streams.isEmpty()) {
            streams.forEach(s -> s.agentChanged(next.agent()));
          }
        });
    if (vertx != null) {
      heartbeat = vertx.setPeriodic(HEARTBEAT_MS, t -> streams.forEach(PageStream::heartbeat));
    }
  }

  void stop(@Observes ShutdownEvent ev) {
    if (historyFeed != null) {
      historyFeed.cancel();
    }
    if (heartbeat != null && vertx != null) {
      vertx.cancelTimer(heartbeat);
    }
    streams.forEach(PageStream::end);
  }

  /** Open pages (one event subscription each). */
  public int openPages() {
    return streams.size();
  }

  // --- handlers ----------------------------------------------------------------------------------

  private void page(RoutingContext ctx) {
    Optional<Caller> caller = access(ctx, true);
    if (caller.isEmpty()) {
      return;
    }
    secure(ctx.response())
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .end(io.vertx.core.buffer.Buffer.buffer(page));
  }

  private void api(RoutingContext ctx) {
    Optional<Caller> caller = access(ctx, false);
    if (caller.isEmpty()) {
      return;
    }
    StatusView.Filter filter = filter(ctx, caller.get());
    if (filter == null) {
      return;
    }
    ObjectNode body = view.full(caller.get(), filter);
    secure(ctx.response()).putHeader("Content-Type", "application/json").end(body.toString());
  }

  private void events(RoutingContext ctx) {
    Optional<Caller> found = access(ctx, false);
    if (found.isEmpty()) {
      return;
    }
    Caller caller = found.get();
    StatusView.Filter filter = filter(ctx, caller);
    if (filter == null) {
      return;
    }
    AtomicInteger open = openPerCaller.computeIfAbsent(caller.id(), k -> new AtomicInteger());
    if (open.incrementAndGet() > maxPagesPerCaller) {
      open.decrementAndGet();
      error(
          ctx,
          429,
          "caller "
              + caller.id()
              + " already has "
              + maxPagesPerCaller
              + " open status pages or event streams (tokensink.grpc.max-streams-per-caller);"
              + " close one first");
      return;
    }
    HttpServerResponse response = secure(ctx.response());
    response
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("X-Accel-Buffering", "no");
    PageStream stream = new PageStream(caller, response, Vertx.currentContext(), view, history);
    streams.add(stream);
    response.closeHandler(
        v -> {
          if (streams.remove(stream)) {
            open.decrementAndGet();
          }
          stream.closed();
        });
    EventFilter events = new EventFilter(caller.agents(), filter.agent(), filter.provider());
    // one subscription per open page; the snapshot below already holds the current state
    stream.subscription(
        hub.subscribe(events, Duration.ofMinutes(5), List::of)
            .subscribe()
            .with(stream::event, failure -> stream.end()));
    stream.start(filter);
  }

  private void openSession(RoutingContext ctx) {
    if (callers.isEmpty()) {
      if (!loopback(ctx.request())) {
        error(ctx, 403, loopbackOnly());
        return;
      }
      error(
          ctx,
          400,
          "no callers are configured (tokensink.callers): the status page needs no session here;"
              + " open /status");
      return;
    }
    Optional<Caller> caller = bearer(ctx.request());
    if (caller.isEmpty()) {
      unauthorized(ctx, false, "send a caller's token as `Authorization: Bearer …`");
      return;
    }
    String id = sessions.open(caller.get());
    Cookie cookie =
        Cookie.cookie(COOKIE, id)
            .setPath("/status")
            .setHttpOnly(true)
            .setSameSite(CookieSameSite.STRICT)
            .setMaxAge(sessions.ttl().toSeconds());
    ObjectNode body = StatusView.JSON.createObjectNode();
    body.put("caller", caller.get().id());
    body.put("expiresInSeconds", sessions.ttl().toSeconds());
    secure(ctx.response())
        .addCookie(cookie)
        .putHeader("Content-Type", "application/json")
        .end(body.toString());
  }

  private void closeSession(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(COOKIE);
    if (c != null) {
      sessions.close(c.getValue());
    }
    secure(ctx.response())
        .addCookie(
            Cookie.cookie(COOKIE, "")
                .setPath("/status")
                .setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT)
                .setMaxAge(0))
        .setStatusCode(204)
        .end();
  }

  private void asset(RoutingContext ctx) {
    if (callers.isEmpty() && !loopback(ctx.request())) {
      error(ctx, 403, loopbackOnly());
      return;
    }
    Asset a = assets.get(ctx.pathParam("name"));
    if (a == null) {
      error(ctx, 404, "no such asset");
      return;
    }
    secure(ctx.response())
        .putHeader("Content-Type", a.type())
        .putHeader("Cache-Control", "no-cache")
        .end(io.vertx.core.buffer.Buffer.buffer(a.bytes()));
  }

  // --- access ------------------------------------------------------------------------------------

  /** The caller this request acts for, or empty after answering 401 / 403. */
  private Optional<Caller> access(RoutingContext ctx, boolean page) {
    HttpServerRequest req = ctx.request();
    if (callers.isEmpty()) {
      if (loopback(req)) {
        return Optional.of(Caller.local("local"));
      }
      error(ctx, 403, loopbackOnly());
      return Optional.empty();
    }
    if (req.getHeader("Authorization") != null) {
      Optional<Caller> c = bearer(req);
      if (c.isEmpty()) {
        unauthorized(ctx, page, "the bearer token is not a configured caller's");
      }
      return c;
    }
    Cookie cookie = req.getCookie(COOKIE);
    Optional<Caller> c = cookie == null ? Optional.empty() : sessions.caller(cookie.getValue());
    if (c.isEmpty()) {
      unauthorized(
          ctx,
          page,
          cookie == null
              ? "sign in with a caller's token (POST /status/session with `Authorization: Bearer …`)"
              : "the session has expired or the service restarted; sign in again");
    }
    return c;
  }

  private Optional<Caller> bearer(HttpServerRequest req) {
    String h = req.getHeader("Authorization");
    if (h == null || h.length() > 4096 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = h.substring(7).trim();
    return token.isEmpty() ? Optional.empty() : callers.byToken(token);
  }

  static boolean loopback(HttpServerRequest req) {
    SocketAddress a = req.connection() == null ? null : req.connection().remoteAddress();
    if (a == null || a.hostAddress() == null) {
      return false;
    }
    String h = a.hostAddress();
    return h.startsWith("127.")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1")
        || h.startsWith("::ffff:127.");
  }

  private static String loopbackOnly() {
    return "the status page is served to loopback only while no callers are configured"
        + " (tokensink.callers); open it on the host, or through `ssh -L` or `kubectl port-forward`";
  }

  private StatusView.Filter filter(RoutingContext ctx, Caller caller) {
    try {
      String a = ctx.queryParams().get("agent");
      String p = ctx.queryParams().get("provider");
      String s = ctx.queryParams().get("state");
      AgentId agent = a == null || a.isEmpty() ? null : AgentId.of(a);
      ProviderId provider = p == null || p.isEmpty() ? null : ProviderId.of(p);
      String state = s == null || s.isEmpty() ? null : s;
      if (state != null && !StatusView.STATES.contains(state)) {
        error(ctx, 400, "state must be one of " + String.join(", ", StatusView.STATES));
        return null;
      }
      if (agent != null && !caller.mayUse(agent)) {
        error(
            ctx,
            403,
            "caller "
                + caller.id()
                + " may not see agent "
                + agent
                + "; the operator grants agents in tokensink.callers."
                + caller.id()
                + ".agents");
        return null;
      }
      return new StatusView.Filter(agent, provider, state);
    } catch (InvalidIdException e) {
      error(ctx, 400, e.getMessage());
      return null;
    }
  }

  // --- responses ---------------------------------------------------------------------------------

  private static HttpServerResponse secure(HttpServerResponse r) {
    return r.putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cache-Control", "no-store");
  }

  private void unauthorized(RoutingContext ctx, boolean page, String message) {
    HttpServerResponse r = secure(ctx.response()).setStatusCode(401);
    r.putHeader("WWW-Authenticate", "Bearer realm=\"tokensink status\"");
    if (page) {
      r.putHeader("Content-Type", "text/html; charset=utf-8")
          .end(io.vertx.core.buffer.Buffer.buffer(login));
    } else {
      ObjectNode body = StatusView.JSON.createObjectNode();
      body.put("error", message);
      r.putHeader("Content-Type", "application/json").end(body.toString());
    }
  }

  private static void error(RoutingContext ctx, int status, String message) {
    ObjectNode body = StatusView.JSON.createObjectNode();
    body.put("error", message);
    secure(ctx.response())
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.toString());
  }
}
