package dev.tokensink.refresh;

import dev.tokensink.events.LifecycleEvent;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Profile;
import java.time.Duration;
import java.util.List;

/**
 * What one flight did. {@link Result#REFRESHED} and {@link Result#STORED} carry the profile to
 * serve; {@link Result#FAILED} the failure; the "try again later" results carry the stored profile
 * (served while still valid, may be null) and {@code why}.
 *
 * @param persisted the last snapshot written by this flight, null when nothing was written
 * @param lifetime the lifetime told by {@code expires_in}, for {@link Result#REFRESHED} only
 * @param answerLost whether an answer of this flight was lost (docs/rules.md §2), whatever came of
 *     it
 */
record Outcome(
    Result result,
    Profile profile,
    AgentSnapshot persisted,
    List<LifecycleEvent> events,
    RefreshException failure,
    String why,
    Duration lifetime,
    boolean answerLost) {

  enum Result {
    /** New tokens stored. */
    REFRESHED,
    /** No call needed: the stored credential is fresh (another writer refreshed it). */
    STORED,
    /** An answer that issues no tokens (5xx, 429, an OAuth error other than invalid_grant). */
    TRANSIENT,
    /** The request certainly never reached the provider. */
    NOT_SENT,
    /** An answer was lost and its token's fate is still unknown: the marker stays. */
    ANSWER_LOST,
    /** Another process or replica kept the profile's refresh lease for the whole wait. */
    BUSY,
    FAILED
  }

  Outcome {
    events = List.copyOf(events);
  }

  /** Whether the flight ended without an answer and may be tried again after a backoff. */
  boolean retryLater() {
    return result == Result.TRANSIENT
        || result == Result.NOT_SENT
        || result == Result.ANSWER_LOST
        || result == Result.BUSY;
  }

  static Outcome stored(Profile p) {
    return new Outcome(Result.STORED, p, null, List.of(), null, null, null, false);
  }

  static Outcome failed(RefreshException e, AgentSnapshot persisted, List<LifecycleEvent> events) {
    return new Outcome(Result.FAILED, null, persisted, events, e, null, null, false);
  }
}
