package dev.tokensink.grpc;

import com.google.protobuf.Timestamp;
import dev.tokensink.api.v1.ExpiryEvent;
import dev.tokensink.events.LifecycleEvent;
import java.time.Instant;

/** Maps lifecycle events to {@link ExpiryEvent} messages (which never carry a secret). */
final class Events {
  private Events() {}

  static ExpiryEvent toMessage(LifecycleEvent e) {
    ExpiryEvent.Builder b =
        ExpiryEvent.newBuilder()
            .setType(ExpiryEvent.Type.valueOf(e.type().name()))
            .setAgent(e.agent().value())
            .setProfileId(e.profileId().toString())
            .setProvider(e.provider().value())
            .setOccurredAt(timestamp(e.occurredAt()))
            .setReason(e.reason());
    if (e.expiresAt() != null) {
      b.setExpiresAt(timestamp(e.expiresAt()));
    }
    return b.build();
  }

  static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
