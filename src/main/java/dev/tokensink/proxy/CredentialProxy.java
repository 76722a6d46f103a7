package dev.tokensink.proxy;

import dev.tokensink.broker.Broker;
import dev.tokensink.broker.CredentialRequest;
import dev.tokensink.broker.OutcomeRecorder;
import dev.tokensink.broker.Served;
import dev.tokensink.cooldown.Outcome;
import dev.tokensink.metrics.CredentialMetrics;
import dev.tokensink.model.ProfileType;
import dev.tokensink.routing.ProfileOverride;
import dev.tokensink.routing.RoutingException;
import dev.tokensink.security.Audit;
import dev.tokensink.security.Caller;
import dev.tokensink.security.HandedOut;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.jboss.logging.Logger;

/**
 * The credential proxy's one interceptor on Vert.x' {@link io.vertx.httpproxy.HttpProxy}: checks
 * the caller, chooses a profile through the broker exactly as {@code GetCredential} does (session,
 * override, model), injects the credential in the provider's form, forwards, reads the verdict of a
 * failed answer and reports it through {@code ReportOutcome}'s path, and retries on the next usable
 * profile while nothing has gone back to the client (docs/rules.md §3, §4).
 *
 * <p>A successful answer streams through with back-pressure (Vert.x' pipe); only error answers are
 * read, bounded, to classify them. Runs on the request's event loop; the broker answers a cached
 * credential synchronously and moves its own I/O off the loop.
 */
final class CredentialProxy implements ProxyInterceptor {
  private static final Logger LOG = Logger.getLogger(CredentialProxy.class);
  static final String TARGET = "tokensink.target";
  static final String SESSION = "x-tokensink-session";
  static final String PROFILE = "x-tokensink-profile";
  static final String MODEL = "x-tokensink-model";

  /** Error answers are small; a larger one is cut at this size (only for classifying it). */
  private static final int MAX_ERROR_BODY = 256 * 1024;

  private final Broker broker;
  private final OutcomeRecorder outcomes;
  private final Upstreams upstreams;
  private final ProxyCallers callers;
  private final ProxySettings settings;
  private final HandedOut handedOut;
  private final CredentialMetrics metrics;
  private final Clock clock;

  CredentialProxy(
      Broker broker,
      OutcomeRecorder outcomes,
      Upstreams upstreams,
      ProxyCallers callers,
      ProxySettings settings,
      HandedOut handedOut,
      CredentialMetrics metrics,
      Clock clock) {
    this.broker = broker;
    this.outcomes = outcomes;
    this.upstreams = upstreams;
    this.callers = callers;
    this.settings = settings;
    this.handedOut = handedOut;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public Future<ProxyResponse> handleProxyRequest(ProxyContext ctx) {
    ProxyRequest req = ctx.request();
    HttpServerRequest in = req.proxiedRequest();
    Exchange x;
    try {
      ProxyRoute route = ProxyRoute.parse(in.uri());
      Caller caller = callers.identify(in);
      if (!caller.mayUse(route.agent())) {
        throw new ProxyError(
            403,
            "PERMISSION_DENIED",
            "caller "
                + caller.id()
                + " may not use agent "
                + route.agent()
                + "; the operator grants agents in tokensink.callers."
                + caller.id()
                + ".agents");
      }
      Upstream upstream =
          upstreams
              .find(route.provider().value())
              .orElseThrow(
                  () ->
                      new ProxyError(
                          404,
                          "NOT_FOUND",
                          "the proxy does not know where the API of provider "
                              + route.provider()
                              + " lives; configure tokensink.providers."
                              + route.provider()
                              + ".api-base-url (known: "
                              + upstreams.ids()
                              + ")"));
      x = new Exchange(route, upstream, caller, forwardedHeaders(req.headers()));
    } catch (RuntimeException e) {
      return Future.succeededFuture(answer(req, null, ProxyError.of(e)));
    }
    return readBody(in, x)
        .compose(v -> choose(x))
        .compose(served -> attempt(ctx, x, served))
        .recover(e -> Future.succeededFuture(answer(req, x, ProxyError.of(e))));
  }

  /** The client's headers minus its authentication and tokensink's own headers. */
  private static MultiMap forwardedHeaders(MultiMap client) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    client.forEach(
        h -> {
          String name = h.getKey().toLowerCase(Locale.ROOT);
          if (!CredentialForm.CLIENT_AUTH_HEADERS.contains(name)
              && !name.startsWith("x-tokensink-")) {
            out.add(h.getKey(), h.getValue());
          }
        });
    return out;
  }

  /**
   * Buffers the body when its size is known to fit {@code max-buffered-body} (or unknown and it
   * turns out to fit), then reads its {@code model} and turns a {@code /model x@profile} form into
   * the override, rewriting the body's model to the bare model. A larger body streams through.
   */
  private Future<Void> readBody(HttpServerRequest in, Exchange x) {
    String session = header(in, SESSION);
    String override = header(in, PROFILE);
    String model = header(in, MODEL);
    long length = contentLength(in);
    if (length > settings.maxBufferedBody()) {
      x.bodyStreams = true;
      x.request =
          new CredentialRequest(
              x.route.agent().value(), x.route.provider().value(), override, session, model);
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    Buffer acc = Buffer.buffer(length > 0 ? (int) length : 256);
    in.handler(
        b -> {
          if (acc.length() + b.length() > settings.maxBufferedBody()) {
            in.handler(null);
            done.tryFail(
                new ProxyError(
                    413,
                    "RESOURCE_EXHAUSTED",
                    "a request body without content-length may be at most "
                        + settings.maxBufferedBody()
                        + " bytes (tokensink.proxy.max-buffered-body); send content-length to"
                        + " stream a larger body"));
            return;
          }
          acc.appendBuffer(b);
        });
    in.exceptionHandler(done::tryFail);
    in.endHandler(
        v -> {
          try {
            x.body = acc;
            x.request = request(x, in, session, override, model);
            done.tryComplete();
          } catch (RuntimeException e) {
            done.tryFail(e);
          }
        });
    in.resume();
    return done.future();
  }

  private CredentialRequest request(
      Exchange x, HttpServerRequest in, String session, String override, String model) {
    String contentType = in.getHeader("content-type");
    if (x.body.length() > 0
        && contentType != null
        && contentType.toLowerCase(Locale.ROOT).contains("json")) {
      byte[] bytes = x.body.getBytes();
      ModelField field = ModelField.find(bytes);
      if (field.present()) {
        String bodyModel = field.value();
        if (bodyModel.strip().startsWith("/model") || bodyModel.indexOf('@') >= 0) {
          ProfileOverride parsed = ProfileOverride.parse(bodyModel);
          if (parsed.profile() != null) {
            if (parsed.model() == null) {
              throw new RoutingException(
                  RoutingException.Kind.INVALID_ARGUMENT,
                  "the body's model names the profile "
                      + parsed.profile()
                      + " but no model; write MODEL@"
                      + parsed.profile());
            }
            // the provider sees the bare model; the profile part is ours
            x.body = Buffer.buffer(field.replace(bytes, parsed.model()));
            if (override.isEmpty()) {
              override = bodyModel;
            }
            bodyModel = parsed.model();
          }
        }
        if (model.isEmpty()) {
          model = bodyModel;
        }
      }
    }
    return new CredentialRequest(
        x.route.agent().value(), x.route.provider().value(), override, session, model);
  }

  /** The broker's choice: synchronously when cached and fresh, else through its general path. */
  private Future<Served> choose(Exchange x) {
    Served now = broker.serveNow(x.request);
    if (now != null) {
      return Future.succeededFuture(now);
    }
    return onLoop(broker.getCredential(x.request).subscribeAsCompletionStage());
  }

  /** A completion stage (completed on a worker, maybe) continued on the request's event loop. */
  private static <T> Future<T> onLoop(java.util.concurrent.CompletionStage<T> stage) {
    Context c = Vertx.currentContext();
    return c == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, c);
  }

  private Future<ProxyResponse> attempt(ProxyContext ctx, Exchange x, Served served) {
    ProxyRequest req = ctx.request();
    handedOut(x, served);
    req.headers().clear();
    req.headers().addAll(x.forwarded);
    x.upstream.form().apply(req.headers(), served);
    req.setURI(x.upstream.uri(x.route.rest()));
    if (x.body != null) {
      boolean empty = x.body.length() == 0 && contentLength(req.proxiedRequest()) < 0;
      req.setBody(empty ? null : Body.body(x.body));
    }
    ctx.set(
        TARGET,
        new RequestOptions()
            .setHost(x.upstream.host())
            .setPort(x.upstream.port())
            .setSsl(x.upstream.ssl())
            .setConnectTimeout(settings.connectTimeout().toMillis()));
    return ctx.sendRequest()
        .recover(
            e -> {
              // no answer at all: the connection failed or was reset before the first byte
              report(x, served, new Verdict(Outcome.TIMEOUT, null));
              return Future.failedFuture(
                  new ProxyError(
                      502,
                      "UNAVAILABLE",
                      "the provider "
                          + x.route.provider()
                          + " at "
                          + x.upstream.host()
                          + " did not answer ("
                          + e.getClass().getSimpleName()
                          + ")"));
            })
        .compose(resp -> answered(ctx, x, served, resp));
  }

  private Future<ProxyResponse> answered(
      ProxyContext ctx, Exchange x, Served served, ProxyResponse resp) {
    int status = resp.getStatusCode();
    resp.putHeader("x-tokensink-profile", served.profile().id().toString());
    if (status >= 200 && status < 300) {
      report(x, served, Verdict.OK);
      return Future.succeededFuture(resp);
    }
    return readBounded(resp.getBody() == null ? null : resp.getBody().stream())
        .compose(
            body -> {
              resp.setBody(Body.body(body));
              byte[] plain = decoded(resp.headers().get("content-encoding"), body.getBytes());
              Verdict verdict =
                  ErrorClassifier.classify(status, resp.headers(), plain, clock.millis());
              return report(x, served, verdict)
                  .compose(
                      v -> {
                        boolean oauthRetry =
                            status == 401
                                && served.profile().type() == ProfileType.OAUTH
                                && !x.oauthRetried;
                        boolean failover =
                            Verdict.failoverStatus(status)
                                && !x.pinned()
                                && x.failovers < settings.maxFailovers();
                        if (x.body == null || !(oauthRetry || failover)) {
                          return Future.succeededFuture(resp);
                        }
                        if (oauthRetry) {
                          x.oauthRetried = true; // after the forced refresh the report awaited
                        } else {
                          x.failovers++;
                          x.failed.add(served.profile().id());
                        }
                        return choose(x)
                            .compose(
                                next ->
                                    x.failed.contains(next.profile().id())
                                        ? Future.succeededFuture(resp)
                                        : retry(ctx, x, next))
                            // nobody else can serve: the client gets the provider's own answer
                            .recover(e -> Future.succeededFuture(resp));
                      });
            });
  }

  private Future<ProxyResponse> retry(ProxyContext ctx, Exchange x, Served next) {
    LOG.debugf(
        "proxy: %s/%s retried on %s", x.route.agent(), x.route.provider(), next.profile().id());
    return attempt(ctx, x, next);
  }

  /**
   * Reports through the same path as {@code ReportOutcome}; completes when recorded (a failover
   * must see the cooldown it started). A failure to record is logged, never fails the request.
   */
  private Future<Void> report(Exchange x, Served served, Verdict verdict) {
    if (verdict.outcome() == null || "env".equals(served.profile().id().name())) {
      return Future.succeededFuture(); // env keys are not stored, so they carry no usage state
    }
    return onLoop(
        outcomes
            .report(
                served.agent(),
                served.profile().id(),
                verdict.outcome(),
                verdict.retryAfter(),
                x.model())
            .onFailure()
            .invoke(
                e ->
                    LOG.debugf(
                        "proxy: outcome %s for %s not recorded (%s)",
                        verdict.outcome(), served.profile().id(), e.getClass().getSimpleName()))
            .onItemOrFailure()
            .<Void>transform((r, e) -> null)
            .subscribeAsCompletionStage());
  }

  private void handedOut(Exchange x, Served s) {
    metrics.served(s.agent(), s.profile().provider(), s.profile().type());
    if (handedOut.firstTime(x.caller.id(), s.agent(), s.profile().id(), s.secret())) {
      Audit.of("Proxy")
          .caller(x.caller.id())
          .agent(s.agent())
          .provider(s.profile().provider())
          .profile(s.profile().id())
          .result("OK");
    }
  }

  private ProxyResponse answer(ProxyRequest req, Exchange x, ProxyError e) {
    Audit.of("Proxy")
        .caller(x == null ? "-" : x.caller.id())
        .agent(x == null ? "-" : x.route.agent())
        .provider(x == null ? "-" : x.route.provider())
        .reason(e.getMessage())
        .result(e.code());
    if (x != null) {
      metrics.failed(
          x.route.agent().value(), x.route.provider().value(), x.route.agent().value(), e.code());
    }
    ProxyResponse r = req.release().response();
    r.setStatusCode(e.status());
    r.putHeader("content-type", "application/json");
    r.putHeader("x-tokensink-error", e.code());
    if (e.status() == 413) {
      r.putHeader("connection", "close");
    }
    r.setBody(Body.body(e.body()));
    return r;
  }

  private static Future<Buffer> readBounded(ReadStream<Buffer> stream) {
    if (stream == null) {
      return Future.succeededFuture(Buffer.buffer());
    }
    Promise<Buffer> p = Promise.promise();
    Buffer acc = Buffer.buffer();
    stream.handler(
        b -> {
          if (acc.length() < MAX_ERROR_BODY) {
            acc.appendBuffer(b, 0, Math.min(b.length(), MAX_ERROR_BODY - acc.length()));
          }
        });
    stream.exceptionHandler(p::tryFail);
    stream.endHandler(v -> p.tryComplete(acc));
    stream.resume();
    return p.future();
  }

  /** The body as text for classifying, gunzipped when the provider compressed it. */
  private static byte[] decoded(String encoding, byte[] body) {
    if (encoding == null || !encoding.toLowerCase(Locale.ROOT).contains("gzip")) {
      return body;
    }
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readNBytes(MAX_ERROR_BODY);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static long contentLength(HttpServerRequest in) {
    String v = in.getHeader("content-length");
    if (v == null) {
      return -1;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String header(HttpServerRequest in, String name) {
    String v = in.getHeader(name);
    return v == null ? "" : v.trim();
  }
}
