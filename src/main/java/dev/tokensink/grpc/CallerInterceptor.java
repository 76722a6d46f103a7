package dev.tokensink.grpc;

import dev.tokensink.security.Audit;
import dev.tokensink.security.Caller;
import dev.tokensink.security.Callers;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/**
 * Establishes who calls, before any service method runs, and puts it in the gRPC {@link Context}
 * ({@link CallerContext}); the service then checks the agent of each request against it.
 *
 * <ul>
 *   <li>{@code authorization: Bearer <token>}: the configured caller with that token's SHA-256,
 *       else UNAUTHENTICATED (a removed caller's token included).
 *   <li>a verified TLS client certificate whose subject is a configured caller's {@code
 *       cert-subject}.
 *   <li>otherwise, on the Unix socket: a local caller (the socket's file mode is the access
 *       control).
 *   <li>otherwise, over TCP without configured callers: loopback peers only (any peer with {@code
 *       tokensink.grpc.insecure}); with callers configured: UNAUTHENTICATED.
 * </ul>
 *
 * The standard health service is answered for anyone who reaches the port; it tells nothing secret.
 */
public final class CallerInterceptor implements ServerInterceptor {
  /** Where calls arrive. */
  public enum Transport {
    TCP,
    SOCKET
  }

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String HEALTH = "grpc.health.v1.Health/";

  private final Callers callers;
  private final boolean insecure;
  private final Transport transport;

  public CallerInterceptor(Callers callers, boolean insecure, Transport transport) {
    this.callers = callers;
    this.insecure = insecure;
    this.transport = transport;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (method.startsWith(HEALTH)) {
      return next.startCall(call, headers);
    }
    Caller caller;
    try {
      caller = identify(call, headers);
    } catch (Refused r) {
      Audit.of(call.getMethodDescriptor().getBareMethodName())
          .caller("-")
          .reason(r.getMessage())
          .result(r.status.getCode().name());
      call.close(r.status.withDescription(r.getMessage()), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(
        Context.current().withValue(CallerContext.KEY, caller), call, headers, next);
  }

  private Caller identify(ServerCall<?, ?> call, Metadata headers) throws Refused {
    String auth = headers.get(AUTHORIZATION);
    if (auth != null) {
      if (auth.length() <= 7
          || !auth.regionMatches(true, 0, "Bearer ", 0, 7)
          || auth.substring(7).isBlank()) {
        throw new Refused(
            Status.UNAUTHENTICATED, "the authorization metadata must be 'Bearer <token>'");
      }
      return callers
          .byToken(auth.substring(7).trim())
          .orElseThrow(
              () ->
                  new Refused(
                      Status.UNAUTHENTICATED,
                      "unknown or revoked token; ask the operator for this caller's token (tokensink.callers)"));
    }
    X500Principal subject = peerSubject(call);
    if (subject != null && !callers.isEmpty()) {
      return callers
          .bySubject(subject)
          .orElseThrow(
              () ->
                  new Refused(
                      Status.UNAUTHENTICATED,
                      "the client certificate "
                          + subject.getName()
                          + " is not a configured caller"
                          + " (tokensink.callers.<id>.cert-subject)"));
    }
    if (transport == Transport.SOCKET) {
      return Caller.local("unix-socket");
    }
    if (callers.isEmpty()) {
      if (isLoopback(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR))) {
        return Caller.local("loopback");
      }
      if (insecure) {
        return Caller.local("insecure-network");
      }
      throw new Refused(
          Status.UNAUTHENTICATED,
          "only loopback callers are served while no callers are"
              + " configured (tokensink.callers)");
    }
    throw new Refused(
        Status.UNAUTHENTICATED,
        "no credentials: send 'authorization: Bearer <token>' (or a client certificate) of a configured caller");
  }

  private static X500Principal peerSubject(ServerCall<?, ?> call) {
    SSLSession ssl = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (ssl == null) {
      return null;
    }
    try {
      Certificate[] chain = ssl.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x
          ? x.getSubjectX500Principal()
          : null;
    } catch (SSLPeerUnverifiedException noCertificate) {
      return null;
    }
  }

  private static boolean isLoopback(SocketAddress remote) {
    return remote instanceof InetSocketAddress a
        && a.getAddress() != null
        && a.getAddress().isLoopbackAddress();
  }

  private static final class Refused extends Exception {
    final Status status;

    Refused(Status status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }
}
