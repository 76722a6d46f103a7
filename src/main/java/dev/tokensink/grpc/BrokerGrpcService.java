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
import dev.tokensink.broker.CredentialRequest;
import dev.tokensink.broker.Served;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/**
 * The gRPC surface of api.md. Thin: maps messages to the {@link Broker} and failures to statuses.
 * Mutiny methods run on the event loop; the broker answers a cached credential without blocking and
 * moves I/O to worker threads itself.
 */
@GrpcService
public class BrokerGrpcService implements CredentialBroker {

  @Inject Broker broker;

  @Override
  public Uni<Credential> getCredential(GetCredentialRequest request) {
    CredentialRequest r = new CredentialRequest(request.getAgent(), request.getProvider(),
        request.getProfileOverride(), request.getSessionId(), request.getModel());
    return broker.getCredential(r)
        .map(BrokerGrpcService::toMessage)
        .onFailure().transform(GrpcErrors::toStatus);
  }

  @Override
  public Multi<ExpiryEvent> streamExpiryEvents(StreamExpiryEventsRequest request) {
    return Multi.createFrom().failure(Status.UNIMPLEMENTED
        .withDescription("StreamExpiryEvents is not implemented yet").asRuntimeException());
  }

  @Override
  public Uni<ReportOutcomeResponse> reportOutcome(ReportOutcomeRequest request) {
    return Uni.createFrom().failure(Status.UNIMPLEMENTED
        .withDescription("ReportOutcome is not implemented yet").asRuntimeException());
  }

  static Credential toMessage(Served s) {
    Credential.Builder b = Credential.newBuilder()
        .setProfileId(s.profile().id().toString())
        .setProvider(s.profile().provider().value())
        .setType(switch (s.profile().type()) {
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
