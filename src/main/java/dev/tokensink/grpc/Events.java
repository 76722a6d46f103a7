package dev.tokensink.grpc;

import com.google.protobuf.Timestamp;
import dev.tokensink.api.v1.ExpiryEvent;
import dev.tokensink.events.LifecycleEvent;
import java.time.Instant;

/** Maps lifecycle events to {@link ExpiryEvent} messages (which never carry a secret). */
final class Events {
  private Events() {}

  /** An event and its message. */
  private record Built(LifecycleEvent event, ExpiryEvent message) {}

  /**
   * The last event mapped and its message: a publish hands the same event instance to every
   * subscriber (10 000 streams: 10 000 mappings of one event), so all but the first reuse one
   * immutable message. Another event in between only costs a rebuild.
   */
  private static volatile Built last;

  /** The message of {@code e}, built once per event instance while it is the latest one. */
  static ExpiryEvent message(LifecycleEvent e) {
    Built b = last;
    if (b != null && b.event() == e) {
      return b.message();
    }
    ExpiryEvent m = toMessage(e);
    last = new Built(e, m);
    return m;
  }

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
