package dev.tokensink.replicas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokensink.api.v1.ExpiryEvent;
import dev.tokensink.api.v1.Outcome;
import dev.tokensink.api.v1.ReportOutcomeRequest;
import dev.tokensink.api.v1.ReportOutcomeResponse;
import dev.tokensink.testing.PostgresServer;
import dev.tokensink.testing.ReplicaProcess;
import dev.tokensink.testing.StrictOAuthServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/rules.md §4: a cooldown that replica A starts reaches replica B's event stream, and when the
 * window runs out by itself (nothing is written), both streams get {@code COOLDOWN_ENDED}, once per
 * window. The replicas run with {@code tokensink.cooldown.rate-limit.initial=2s} (seconds where the
 * default says 30 s); the test waits on the streams, never on a timer.
 */
@ExtendWith(PostgresServer.class)
class CooldownEventsIT {
  @RegisterExtension final Closer resources = new Closer();

  @Test
  void windowStartedOnA_startedAndEndedOnBothReplicasStreams_oncePerWindow(PostgresServer pg)
      throws Exception {
    StrictOAuthServer server = StrictOAuthServer.start(Clock.systemUTC());
    resources.add(server);
    ReplicaFixture fx = new ReplicaFixture(pg.newDatabase(), server);
    fx.seedMarker(ReplicaFixture.AGENT);
    List<ReplicaProcess> replicas =
        fx.start(2, Map.of("tokensink.cooldown.rate-limit.initial", "2s"));
    resources.addAll(replicas);
    List<EventLog> streams = replicas.stream().map(EventLog::follow).toList();
    streams.forEach(s -> resources.add(s::cancel));
    for (EventLog s : streams) {
      s.awaitLive();
    }
    fx.seed(ReplicaFixture.AGENT, ReplicaFixture.PROFILE);
    for (ReplicaProcess r : replicas) {
      ReplicaFixture.awaitServing(r, Duration.ofSeconds(20));
    }
    String profile = ReplicaFixture.PROFILE.toString();
    ReplicaProcess a = replicas.get(0);
    for (int window = 1; window <= 2; window++) {
      ReportOutcomeResponse r =
          a.broker()
              .reportOutcome(
                  ReportOutcomeRequest.newBuilder()
                      .setAgent(ReplicaFixture.AGENT.value())
                      .setProfileId(profile)
                      .setOutcome(Outcome.RATE_LIMITED)
                      .build());
      assertEquals("cooldown", r.getState());
      for (EventLog s : streams) {
        s.awaitCount(ExpiryEvent.Type.COOLDOWN_STARTED, profile, window, Duration.ofSeconds(30));
        s.awaitCount(ExpiryEvent.Type.COOLDOWN_ENDED, profile, window, Duration.ofSeconds(30));
      }
    }
    for (EventLog s : streams) {
      assertEquals(2, s.count(ExpiryEvent.Type.COOLDOWN_STARTED, profile), "once per window");
      assertEquals(2, s.count(ExpiryEvent.Type.COOLDOWN_ENDED, profile), "once per window");
    }
  }
}
