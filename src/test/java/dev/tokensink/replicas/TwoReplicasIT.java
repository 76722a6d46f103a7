package dev.tokensink.replicas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.api.v1.Credential;
import dev.tokensink.api.v1.GetCredentialRequest;
import dev.tokensink.model.Secret;
import dev.tokensink.oauth.Jwt;
import dev.tokensink.testing.PostgresServer;
import dev.tokensink.testing.ReplicaProcess;
import dev.tokensink.testing.StrictOAuthServer;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two replicas of the packaged service on one PostgreSQL database, hammered by concurrent gRPC
 * callers while a short-lived grant rotates several times at the strict provider (a reused refresh
 * token revokes the grant). Both replicas run the proactive scheduler; the row lock and the re-read
 * under it must make each rotation happen exactly once, and every replica's event stream must see
 * every rotation.
 */
class TwoReplicasIT {
  private static final int ROTATIONS = 5;
  // serving margin = lifetime/4 = 2 s: a served token stays valid through a loaded machine's gRPC
  // latency
  private static final Duration LIFETIME = Duration.ofSeconds(8);
  private static final int CALLERS_PER_REPLICA = 6;

  @RegisterExtension final Closer resources = new Closer();

  @Test
  void twoReplicas_concurrentCallersThroughSeveralRotations_eachRotationOnceNoReuseEveryTokenValid()
      throws Exception {
    PostgresServer pg = PostgresServer.startNew();
    resources.add(pg);
    StrictOAuthServer server =
        StrictOAuthServer.start(Clock.systemUTC()).accessTokenLifetime(LIFETIME);
    resources.add(server);
    ReplicaFixture fx = new ReplicaFixture(pg.newDatabase(), server);
    fx.seedMarker(ReplicaFixture.AGENT);
    List<ReplicaProcess> replicas = fx.start(2, Map.of());
    resources.addAll(replicas);
    List<EventLog> streams = replicas.stream().map(EventLog::follow).toList();
    streams.forEach(s -> resources.add(s::cancel));
    for (EventLog s : streams) {
      s.awaitLive();
    }
    // the grant arrives while both replicas run and both streams listen: every rotation is seen
    StrictOAuthServer.TokenPair seeded = fx.seed(ReplicaFixture.AGENT, ReplicaFixture.PROFILE);
    for (ReplicaProcess r : replicas) {
      ReplicaFixture.awaitServing(
          r, Duration.ofSeconds(10)); // the change notification reached its cache
    }

    Set<String> served = ConcurrentHashMap.newKeySet();
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    ExecutorService pool = Executors.newFixedThreadPool(2 * CALLERS_PER_REPLICA);
    resources.add(pool::shutdownNow);
    List<Future<?>> callers = new ArrayList<>();
    for (ReplicaProcess r : replicas) {
      for (int i = 0; i < CALLERS_PER_REPLICA; i++) {
        callers.add(
            pool.submit(
                () -> {
                  GetCredentialRequest req =
                      GetCredentialRequest.newBuilder()
                          .setAgent(ReplicaFixture.AGENT.value())
                          .setProvider("strict")
                          .build();
                  while (server.refreshCalls() < ROTATIONS && System.nanoTime() < deadline) {
                    calls.incrementAndGet();
                    try {
                      Credential c =
                          r.broker().withDeadlineAfter(15, TimeUnit.SECONDS).getCredential(req);
                      long now = System.currentTimeMillis();
                      long exp =
                          Jwt.parse(Secret.of(c.getSecret())).expiresAtMillis().orElseThrow();
                      served.add(c.getSecret());
                      if (!server.issuedAccessToken(c.getSecret()) || exp <= now) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(
                            null,
                            r + " served an invalid token (expired " + (now - exp) + " ms ago)");
                      }
                    } catch (StatusRuntimeException e) {
                      failures.incrementAndGet();
                      firstFailure.compareAndSet(null, r + ": " + e.getStatus());
                    }
                  }
                }));
      }
    }
    for (Future<?> f : callers) {
      f.get(120, TimeUnit.SECONDS);
    }
    assertTrue(
        server.refreshCalls() >= ROTATIONS,
        "rotations within the deadline: " + server.refreshCalls());

    // Rotations go on (the scheduler keeps the grant fresh): compare at a moment where every stream
    // caught up with the provider's count.
    int tokenCalls = -1;
    int seenA = -1;
    int seenB = -1;
    long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < settle) {
      tokenCalls = server.refreshCalls();
      seenA = streams.get(0).refreshedAtNanos.size();
      seenB = streams.get(1).refreshedAtNanos.size();
      if (seenA == tokenCalls && seenB == tokenCalls && server.refreshCalls() == tokenCalls) {
        break;
      }
      Thread.sleep(20);
    }
    streams.forEach(s -> assertNull(s.error.get(), "event stream failed"));
    assertEquals(
        tokenCalls, seenA, "rotations seen on " + replicas.get(0) + " vs token-endpoint calls");
    assertEquals(
        tokenCalls, seenB, "rotations seen on " + replicas.get(1) + " vs token-endpoint calls");
    assertEquals(0, server.reusesDetected(), "refresh-token reuses");
    assertEquals(0, server.grantsRevoked(), "grants revoked");
    assertEquals(0, failures.get(), "failed or invalid calls, first: " + firstFailure.get());
    assertEquals(
        server.currentRefreshToken(seeded.refresh()),
        fx.stored(ReplicaFixture.AGENT, ReplicaFixture.PROFILE).refresh().reveal(),
        "stored refresh token is the live one");

    // how fast a rotation done by one replica reaches the other's stream
    List<Long> delays = new ArrayList<>();
    streams
        .get(0)
        .refreshedAtNanos
        .forEach(
            (expires, a) -> {
              Long b = streams.get(1).refreshedAtNanos.get(expires);
              if (b != null) {
                delays.add(Math.abs(a - b) / 1_000_000);
              }
            });
    delays.sort(null);
    assertEquals(tokenCalls, delays.size(), "every rotation on both streams");
    long max = delays.get(delays.size() - 1);
    assertTrue(
        max < 1000, "a rotation reaches the other replica's stream within a second: " + delays);
    Figures.report(
        "TwoReplicasIT",
        String.format(
            "replicas=2 callers=%d calls=%d failed=%d distinctTokensServed=%d rotations=%d tokenCalls=%d reuses=%d "
                + "crossReplicaEventDelay p50=%dms max=%dms",
            2 * CALLERS_PER_REPLICA,
            calls.get(),
            failures.get(),
            served.size(),
            seenA,
            tokenCalls,
            server.reusesDetected(),
            Figures.quantile(delays, 0.5),
            max));

    List<String> secrets = new ArrayList<>(served);
    secrets.add(seeded.refresh());
    secrets.add(server.currentRefreshToken(seeded.refresh()));
    ReplicaFixture.assertNoSecretsLogged(replicas, secrets);
  }
}
