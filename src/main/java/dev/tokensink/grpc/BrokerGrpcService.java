package dev.tokensink.grpc;

import com.google.protobuf.Timestamp;
import dev.tokensink.api.v1.Credential;
import dev.tokensink.api.v1.CredentialBroker;
import dev.tokensink.api.v1.CredentialType;
import dev.tokensink.api.v1.ExpiryEvent;
import dev.tokensink.api.v1.GetCredentialRequest;
import dev.tokensink.api.v1.ReportOutcomeRequest;
import dev.tokensink.api.v1.ReportOutcomeResponse;
import dev.tokensink.api.v1.StreamExpiryEventsRequest;
import dev.tokensink.broker.Broker;
import dev.tokensink.broker.BrokerException;
import dev.tokensink.broker.CredentialRequest;
import dev.tokensink.broker.OutcomeRecorder;
import dev.tokensink.broker.Served;
import dev.tokensink.cache.AgentCache;
import dev.tokensink.config.Settings;
import dev.tokensink.cooldown.Outcome;
import dev.tokensink.events.EventFilter;
import dev.tokensink.events.EventHub;
import dev.tokensink.metrics.CredentialMetrics;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProviderId;
import dev.tokensink.security.Audit;
import dev.tokensink.security.Caller;
import dev.tokensink.security.HandedOut;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The gRPC surface of docs/api.md. Thin: checks the caller ({@link CallerInterceptor} established
 * it) may use the request's agent, bounds request fields, maps messages to the {@link Broker} and
 * failures to statuses, and writes one audit line per call ({@link Audit}). Mutiny methods run on
 * the event loop; the broker answers a cached credential without blocking and moves I/O to worker
 * threads itself.
 */
@GrpcService
public class BrokerGrpcService implements CredentialBroker {
  static final Duration DEFAULT_LEAD = Duration.ofMinutes(5);

  @Inject Broker broker;
  @Inject OutcomeRecorder outcomes;
  @Inject EventHub hub;
  @Inject AgentCache cache;
  @Inject Settings settings;
  @Inject StreamLimits streams;
  @Inject CredentialMetrics metrics;
  @Inject HandedOut handedOut;

  @Override
  public Uni<Credential> getCredential(GetCredentialRequest request) {
    Caller caller = CallerContext.current();
    Audit audit =
        Audit.of("GetCredential")
            .caller(caller.id())
            .agent(request.getAgent())
            .provider(request.getProvider());
    try {
      RequestBounds.check("agent", request.getAgent(), RequestBounds.ID);
      RequestBounds.check("provider", request.getProvider(), RequestBounds.ID);
      RequestBounds.check("profile_override", request.getProfileOverride(), RequestBounds.OVERRIDE);
      RequestBounds.check("session_id", request.getSessionId(), RequestBounds.SESSION);
      RequestBounds.check("model", request.getModel(), RequestBounds.MODEL);
      AgentId agent = allowed(caller, request.getAgent());
      audit.agent(agent);
      CredentialRequest r =
          new CredentialRequest(
              agent.value(),
              request.getProvider(),
              request.getProfileOverride(),
              request.getSessionId(),
              request.getModel());
      Served now = broker.serveNow(r);
      if (now != null) {
        // a valid cached credential: answered on this thread without Mutiny operators
        return Uni.createFrom().item(served(caller, audit, now));
      }
      return broker
          .getCredential(r)
          .map(s -> served(caller, audit, s))
          .onFailure()
          .transform(e -> failed(request, audit, e));
    } catch (RuntimeException e) {
      return Uni.createFrom().failure(failed(request, audit, e));
    }
  }

  private Credential served(Caller caller, Audit audit, Served s) {
    if (handedOut.firstTime(caller.id(), s.agent(), s.profile().id(), s.secret())) {
      audit.profile(s.profile().id()).result("OK");
    }
    metrics.served(s.agent(), s.profile().provider(), s.profile().type());
    return toMessage(s);
  }

  /**
   * The request's agent (empty: the default agent) if the caller may use it; else
   * PERMISSION_DENIED.
   */
  private AgentId allowed(Caller caller, String requested) {
    AgentId agent = requested.isEmpty() ? settings.defaultAgent() : AgentId.of(requested);
    if (!caller.mayUse(agent)) {
      throw new BrokerException(
          BrokerException.Code.PERMISSION_DENIED,
          "caller "
              + caller.id()
              + " may not use agent "
              + agent
              + "; the operator grants agents in tokensink.callers."
              + caller.id()
              + ".agents");
    }
    return agent;
  }

  private static StatusRuntimeException audited(Audit audit, Throwable e) {
    StatusRuntimeException s = GrpcErrors.toStatus(e);
    audit.result(s.getStatus().getCode().name());
    return s;
  }

  private StatusRuntimeException failed(GetCredentialRequest request, Audit audit, Throwable e) {
    StatusRuntimeException status = audited(audit, e);
    metrics.failed(
        request.getAgent(),
        request.getProvider(),
        settings.defaultAgent().value(),
        status.getStatus().getCode().name());
    return status;
  }

  @Override
  public Multi<ExpiryEvent> streamExpiryEvents(StreamExpiryEventsRequest request) {
    Caller caller = CallerContext.current();
    Audit audit =
        Audit.of("StreamExpiryEvents")
            .caller(caller.id())
            .agent(request.getAgent())
            .provider(request.getProvider());
    try {
      RequestBounds.check("agent", request.getAgent(), RequestBounds.ID);
      RequestBounds.check("provider", request.getProvider(), RequestBounds.ID);
      AgentId agent = request.getAgent().isEmpty() ? null : allowed(caller, request.getAgent());
      ProviderId provider =
          request.getProvider().isEmpty() ? null : ProviderId.of(request.getProvider());
      Duration lead =
          request.hasLeadTime()
              ? Duration.ofSeconds(
                  request.getLeadTime().getSeconds(), request.getLeadTime().getNanos())
              : DEFAULT_LEAD;
      if (lead.isNegative() || lead.compareTo(Duration.ofDays(30)) > 0) {
        throw new BrokerException(
            BrokerException.Code.INVALID_ARGUMENT, "lead_time must be between 0 and 30 days");
      }
      if (!streams.tryAcquire(caller.id())) {
        throw new BrokerException(
            BrokerException.Code.RESOURCE_EXHAUSTED,
            "caller "
                + caller.id()
                + " already has "
                + streams.max()
                + " open event streams (tokensink.grpc.max-streams-per-caller); close one first");
      }
      // only the agents this caller may see, also in the replay of current state
      EventFilter filter = new EventFilter(caller.agents(), agent, provider);
      AtomicBoolean released = new AtomicBoolean();
      audit.result("OK");
      return hub.subscribe(filter, lead, cache::snapshots)
          .map(Events::message)
          .onTermination()
          .invoke(
              () -> {
                if (released.compareAndSet(false, true)) {
                  streams.release(caller.id());
                }
              })
          .onFailure()
          .transform(GrpcErrors::toStatus);
    } catch (RuntimeException e) {
      return Multi.createFrom().failure(audited(audit, e));
    }
  }

  @Override
  public Uni<ReportOutcomeResponse> reportOutcome(ReportOutcomeRequest request) {
    Caller caller = CallerContext.current();
    Audit audit =
        Audit.of("ReportOutcome")
            .caller(caller.id())
            .agent(request.getAgent())
            .profile(request.getProfileId())
            .reason("outcome " + request.getOutcome());
    try {
      RequestBounds.check("agent", request.getAgent(), RequestBounds.ID);
      RequestBounds.check("profile_id", request.getProfileId(), RequestBounds.PROFILE_ID);
      AgentId agent = allowed(caller, request.getAgent());
      audit.agent(agent);
      ProfileId id = ProfileId.parse(request.getProfileId());
      Outcome outcome =
          switch (request.getOutcome()) {
            case OUTCOME_UNSPECIFIED, UNRECOGNIZED ->
                throw new BrokerException(
                    BrokerException.Code.INVALID_ARGUMENT,
                    "outcome is missing or unknown ("
                        + request.getOutcomeValue()
                        + "); use OK, RATE_LIMITED, AUTH_FAILED, "
                        + "BILLING, OVERLOADED, TIMEOUT, OTHER_ERROR, USAGE_LIMIT or MODEL_NOT_FOUND");
            default -> Outcome.valueOf(request.getOutcome().name());
          };
      Duration retryAfter = null;
      if (request.hasRetryAfter()) {
        retryAfter =
            Duration.ofSeconds(
                request.getRetryAfter().getSeconds(), request.getRetryAfter().getNanos());
        if (retryAfter.isNegative()) {
          throw new BrokerException(
              BrokerException.Code.INVALID_ARGUMENT, "retry_after must not be negative");
        }
      }
      String model = request.getModel().isBlank() ? null : request.getModel();
      if (model != null) {
        RequestBounds.check("model", model, RequestBounds.MODEL);
      }
      return outcomes
          .report(agent, id, outcome, retryAfter, model)
          .map(
              r -> {
                audit.result("OK");
                ReportOutcomeResponse.Builder b =
                    ReportOutcomeResponse.newBuilder().setState(r.state());
                if (r.usableAtMs() != null) {
                  b.setUsableAt(timestamp(r.usableAtMs()));
                }
                return b.build();
              })
          .onFailure()
          .transform(e -> audited(audit, e));
    } catch (RuntimeException e) {
      return Uni.createFrom().failure(audited(audit, e));
    }
  }

  static Credential toMessage(Served s) {
    Credential.Builder b =
        Credential.newBuilder()
            .setProfileId(s.profile().id().toString())
            .setProvider(s.profile().provider().value())
            .setType(
                switch (s.profile().type()) {
                  case API_KEY -> CredentialType.API_KEY;
                  case TOKEN -> CredentialType.TOKEN;
                  case OAUTH -> CredentialType.OAUTH;
                })
            .setSecret(s.secret().reveal());
    if (s.expiresAt() != null) {
      b.setExpiresAt(timestamp(s.expiresAt()));
    }
    if (s.accountId() != null) {
      b.setAccountId(s.accountId());
    }
    if (s.model() != null) {
      b.setModel(s.model());
    }
    return b.build();
  }

  static Timestamp timestamp(long epochMs) {
    return Timestamp.newBuilder()
        .setSeconds(Math.floorDiv(epochMs, 1000))
        .setNanos((int) Math.floorMod(epochMs, 1000) * 1_000_000)
        .build();
  }
}
