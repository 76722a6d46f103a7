package dev.tokensink.replicas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.api.v1.Credential;
import dev.tokensink.api.v1.ExpiryEvent;
import dev.tokensink.api.v1.GetCredentialRequest;
import dev.tokensink.testing.Gate;
import dev.tokensink.testing.PostgresServer;
import dev.tokensink.testing.ReplicaProcess;
import dev.tokensink.testing.StrictOAuthServer;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fencing across replicas: replica A starts a refresh (its "refresh in flight" marker is committed,
 * its request is parked at the strict provider's token endpoint) and is frozen with SIGSTOP past
 * its lease. PostgreSQL ends A's session, so B gets the agent's lock, finds A's marker younger than
 * the provider's refresh grace (30 s, as Okta's), retries the refresh and stores a newer
 * credential. Then the provider answers A's parked request and A is resumed: its late write of the
 * older result must be refused by the version check, and no refresh token is ever reused outside
 * the grace.
 */
class PausedReplicaIT {
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final Duration GRACE = Duration.ofSeconds(30);

  @RegisterExtension final Closer resources = new Closer();

  @Test
  void pausedReplica_pastItsLease_otherRefreshes_resumedOneCannotOverwrite() throws Exception {
    PostgresServer pg = PostgresServer.startNew();
    resources.add(pg);
    StrictOAuthServer server = StrictOAuthServer.start(Clock.systemUTC()).refreshGrace(GRACE);
    resources.add(server);
    ReplicaFixture fx = new ReplicaFixture(pg.newDatabase(), server);
    fx.seedMarker(ReplicaFixture.AGENT);
    // no proactive scheduler: only the gRPC calls of this test start refreshes, on the replica it
    // chooses
    List<ReplicaProcess> replicas =
        fx.start(
            2,
            Map.of(
                "tokensink.jobs.interval", "1h",
                "tokensink.store.postgres.lease", LEASE.toSeconds() + "s",
                "tokensink.providers.strict.refresh-grace", GRACE.toSeconds() + "s"));
    resources.addAll(replicas);
    ReplicaProcess a = replicas.get(0);
    ReplicaProcess b = replicas.get(1);
    List<EventLog> streams = replicas.stream().map(EventLog::follow).toList();
    streams.forEach(s -> resources.add(s::cancel));
    for (EventLog s : streams) {
      s.awaitLive();
    }

    // an expired grant: the next GetCredential refreshes it
    StrictOAuthServer.TokenPair seeded = server.seedGrant();
    fx.seed(
        ReplicaFixture.AGENT, ReplicaFixture.PROFILE, seeded, System.currentTimeMillis() - 1000);
    for (EventLog s : streams) {
      s.await(
          ExpiryEvent.Type.PROFILE_ADDED,
          ReplicaFixture.PROFILE.toString(),
          Duration.ofSeconds(10));
    }

    Gate gate = new Gate();
    server.gate(gate);
    GetCredentialRequest req =
        GetCredentialRequest.newBuilder()
            .setAgent(ReplicaFixture.AGENT.value())
            .setProvider("strict")
            .build();
    CompletableFuture<Object> onA =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return a.broker().withDeadlineAfter(60, TimeUnit.SECONDS).getCredential(req);
              } catch (StatusRuntimeException e) {
                return e;
              }
            });
    assertTrue(
        gate.awaitArrivals(1, Duration.ofSeconds(20)), "A's refresh reached the token endpoint");
    long arrived =
        System.nanoTime(); // A has held the agent lock, idle in its transaction, since before this
    server.gate(null); // later requests pass; A's stays parked
    a.pause();
    long pausedAt = System.nanoTime();

    long bStart = System.nanoTime();
    Credential fromB = b.broker().withDeadlineAfter(30, TimeUnit.SECONDS).getCredential(req);
    long bWaitMs = (System.nanoTime() - bStart) / 1_000_000;
    long sinceArrivalMs = (System.nanoTime() - arrived) / 1_000_000;
    assertNotEquals(seeded.access(), fromB.getSecret());
    assertTrue(server.issuedAccessToken(fromB.getSecret()));
    assertEquals(2, server.refreshCalls(), "A's parked call and B's retry under the grace");
    // the lock passed to B only when PostgreSQL ended A's session (lease counted from A's token
    // call,
    // a little before its arrival at the gate was seen here)
    assertTrue(
        sinceArrivalMs >= LEASE.toMillis() - 500,
        "B waited for A's lease to run out: " + sinceArrivalMs + " ms");
    String newRefresh = server.currentRefreshToken(seeded.refresh());
    assertEquals(
        fromB.getSecret(),
        fx.stored(ReplicaFixture.AGENT, ReplicaFixture.PROFILE).access().reveal());

    // The provider now answers A's parked request (its refresh token was spent by B within the
    // grace,
    // so it gets a valid answer); A wakes up with a result older than what B stored.
    gate.open();
    a.resume();
    long pausedMs = (System.nanoTime() - pausedAt) / 1_000_000;
    Object resultOnA = onA.get(60, TimeUnit.SECONDS);
    // A's late write is refused; A re-reads and serves what B stored instead of failing its caller
    assertTrue(resultOnA instanceof Credential, "A's caller got " + resultOnA);
    assertEquals(
        fromB.getSecret(), ((Credential) resultOnA).getSecret(), "A may only serve what B stored");

    // fencing: the database still holds B's credential; both replicas serve it; nothing was reused
    var stored = fx.stored(ReplicaFixture.AGENT, ReplicaFixture.PROFILE);
    assertEquals(
        fromB.getSecret(),
        stored.access().reveal(),
        "the resumed replica overwrote a newer credential");
    assertEquals(newRefresh, stored.refresh().reveal());
    assertEquals(newRefresh, server.currentRefreshToken(seeded.refresh()));
    // A's cache announces B's rotation on A's stream; from then on A serves it to every caller
    streams
        .get(0)
        .await(
            ExpiryEvent.Type.REFRESHED, ReplicaFixture.PROFILE.toString(), Duration.ofSeconds(15));
    assertEquals(
        fromB.getSecret(),
        ReplicaFixture.awaitServing(a, Duration.ofSeconds(5)).getSecret(),
        "A serves B's credential after resuming");
    assertEquals(
        fromB.getSecret(), ReplicaFixture.awaitServing(b, Duration.ofSeconds(5)).getSecret());
    assertEquals(2, server.refreshCalls(), "no further token calls");
    assertEquals(0, server.reusesDetected(), "refresh-token reuses");
    assertEquals(0, server.grantsRevoked(), "grants revoked");

    Figures.report(
        "PausedReplicaIT",
        String.format(
            "lease=%ds pausedFor=%dms bCall=%dms bDoneAfterARequest=%dms tokenCalls=%d reuses=%d resumedReplicaCall=%s storedIsNewer=true",
            LEASE.toSeconds(),
            pausedMs,
            bWaitMs,
            sinceArrivalMs,
            server.refreshCalls(),
            server.reusesDetected(),
            "served the newer credential"));
    ReplicaFixture.assertNoSecretsLogged(
        replicas, List.of(seeded.access(), seeded.refresh(), fromB.getSecret(), newRefresh));
  }
}
