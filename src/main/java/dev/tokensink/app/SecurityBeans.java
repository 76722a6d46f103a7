package dev.tokensink.app;

import dev.tokensink.config.Settings;
import dev.tokensink.events.EventFilter;
import dev.tokensink.events.EventHub;
import dev.tokensink.events.LifecycleEvent;
import dev.tokensink.grpc.CallerInterceptor;
import dev.tokensink.grpc.SocketServer;
import dev.tokensink.grpc.StreamLimits;
import dev.tokensink.security.Audit;
import dev.tokensink.security.Callers;
import dev.tokensink.security.HandedOut;
import dev.tokensink.security.ServePolicy;
import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.grpc.GrpcService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Wiring of the service's security (docs/security.md): the configured callers, the caller check on
 * every gRPC call (TCP through Quarkus, and the Unix socket server), stream limits, and the
 * start-up policy, which refuses to serve before anything else starts.
 */
@Singleton
public class SecurityBeans {
  private static final Logger LOG = Logger.getLogger(SecurityBeans.class);

  /** Largest request message accepted (quarkus.grpc.server.max-inbound-message-size for TCP). */
  static final int MAX_INBOUND_BYTES = 2 * 1024 * 1024;

  /**
   * Fails start-up with the offending keys when the callers cannot be used (duplicates, bad
   * hashes).
   */
  @Produces
  @Singleton
  Callers callers(Settings settings) {
    return Callers.configured(settings.callers());
  }

  @Produces
  @Singleton
  StreamLimits streamLimits(Settings settings) {
    return new StreamLimits(settings.grpc().maxStreamsPerCaller().value());
  }

  @Produces
  @Singleton
  HandedOut handedOut(Settings settings) {
    return new HandedOut(settings.audit().everyAnswer());
  }

  /** The caller check on every call of Quarkus' gRPC server (TCP, plain or TLS). */
  @ApplicationScoped
  @GlobalInterceptor
  static class TcpCallers implements ServerInterceptor {
    private final CallerInterceptor delegate;

    @Inject
    TcpCallers(Callers callers, Settings settings) {
      this.delegate =
          new CallerInterceptor(
              callers, settings.grpc().insecure(), CallerInterceptor.Transport.TCP);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      return delegate.interceptCall(call, headers, next);
    }
  }

  private static final Set<LifecycleEvent.Type> CHANGES =
      EnumSet.of(
          LifecycleEvent.Type.REFRESHED,
          LifecycleEvent.Type.REFRESH_FAILED,
          LifecycleEvent.Type.REAUTH_REQUIRED,
          LifecycleEvent.Type.COOLDOWN_STARTED,
          LifecycleEvent.Type.COOLDOWN_ENDED,
          LifecycleEvent.Type.PROFILE_ADDED,
          LifecycleEvent.Type.PROFILE_REMOVED);

  /**
   * Start-up policy first, then the audit feed of changes and the Unix socket server when one is
   * configured.
   */
  @Singleton
  static class Startup {
    private final Settings settings;
    private final Callers callers;
    private final Config config;
    private final Instance<BindableService> services;
    private final EventHub hub;
    private SocketServer socket;
    private Cancellable auditFeed;

    Startup(
        Settings settings,
        Callers callers,
        Config config,
        @GrpcService Instance<BindableService> services,
        EventHub hub) {
      this.hub = hub;
      this.settings = settings;
      this.callers = callers;
      this.config = config;
      this.services = services;
    }

    void start(@Observes @Priority(10) StartupEvent ev) {
      String host =
          config.getOptionalValue("quarkus.grpc.server.host", String.class).orElse("127.0.0.1");
      List<String> refusals = ServePolicy.refusals(settings, host);
      if (!refusals.isEmpty()) {
        throw new IllegalStateException(
            "tokensink refuses to serve: " + String.join("; ", refusals));
      }
      ServePolicy.insecureWarning(settings, host).ifPresent(LOG::warn);
      // changes made by the service itself (refreshes, re-login marks, cooldowns, profiles
      // appearing)
      auditFeed =
          hub.subscribe(EventFilter.ALL, Duration.ZERO, List::of)
              .filter(e -> CHANGES.contains(e.type()))
              .subscribe()
              .with(
                  e ->
                      Audit.of("Event")
                          .caller("tokensink")
                          .agent(e.agent())
                          .provider(e.provider())
                          .profile(e.profileId())
                          .result(e.type().name()));
      LOG.infof(
          "callers: %d configured%s",
          callers.size(), callers.isEmpty() ? " (loopback and Unix socket only)" : "");
      String path = settings.grpc().socket().orElse("");
      if (!path.isBlank()) {
        socket =
            SocketServer.start(
                Path.of(path),
                settings.grpc().socketMode().bits(),
                settings.grpc().socketGroup().orElse(null),
                services.stream().toList(),
                new CallerInterceptor(
                    callers, settings.grpc().insecure(), CallerInterceptor.Transport.SOCKET),
                MAX_INBOUND_BYTES);
        LOG.infof(
            "gRPC also on the Unix socket %s (mode %s)",
            socket.path(), settings.grpc().socketMode());
      }
    }

    void stop(@Observes ShutdownEvent ev) {
      if (auditFeed != null) {
        auditFeed.cancel();
      }
      if (socket != null) {
        socket.close();
      }
    }
  }
}
