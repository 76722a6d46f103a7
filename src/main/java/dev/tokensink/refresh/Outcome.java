package dev.tokensink.refresh;

import dev.tokensink.events.LifecycleEvent;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Profile;
import dev.tokensink.oauth.TokenEndpointException;
import java.time.Duration;
import java.util.List;

/**
 * What one flight did under the lock. Exactly one of {@code profile} / {@code failure} is set,
 * except for {@link Result#TRANSIENT}, which carries the stored profile (to serve while still
 * valid) and the endpoint error.
 *
 * @param persisted the snapshot written by this flight, null when nothing was written
 * @param lifetime the lifetime told by {@code expires_in}, for {@link Result#REFRESHED} only
 */
record Outcome(
    Result result,
    Profile profile,
    AgentSnapshot persisted,
    List<LifecycleEvent> events,
    RefreshException failure,
    TokenEndpointException endpointError,
    Duration lifetime) {

  enum Result {
    REFRESHED,
    STORED,
    TRANSIENT,
    FAILED
  }

  Outcome {
    events = List.copyOf(events);
  }

  static Outcome stored(Profile p) {
    return new Outcome(Result.STORED, p, null, List.of(), null, null, null);
  }

  static Outcome failed(RefreshException e, AgentSnapshot persisted, List<LifecycleEvent> events) {
    return new Outcome(Result.FAILED, null, persisted, events, e, null, null);
  }
}
