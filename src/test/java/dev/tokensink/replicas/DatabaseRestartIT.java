package dev.tokensink.replicas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.api.v1.Credential;
import dev.tokensink.api.v1.ExpiryEvent;
import dev.tokensink.api.v1.GetCredentialRequest;
import dev.tokensink.model.AgentId;
import dev.tokensink.testing.PostgresServer;
import dev.tokensink.testing.ReplicaProcess;
import dev.tokensink.testing.StrictOAuthServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL stops under load and comes back. Two replicas keep serving still-valid cached
 * credentials without a single failed call, report not-ready while the database is away (so a load
 * balancer or Kubernetes routes new work elsewhere), answer UNAVAILABLE for a credential that would
 * need a refresh (nothing can be written), and turn ready again by themselves when it returns.
 */
class DatabaseRestartIT {
  private static final AgentId LATE = AgentId.of("late");
  private static final int CALLERS_PER_REPLICA = 4;

  @RegisterExtension final Closer resources = new Closer();

  private static GetCredentialRequest request(AgentId agent) {
    return GetCredentialRequest.newBuilder().setAgent(agent.value()).setProvider("strict").build();
  }

  @Test
  void databaseStoppedUnderLoad_validCachedCredentialsServed_readinessRedThenGreenByItself()
      throws Exception {
    PostgresServer pg = PostgresServer.startNew();
    resources.add(pg);
    StrictOAuthServer server = StrictOAuthServer.start(Clock.systemUTC());
    resources.add(server);
    ReplicaFixture fx = new ReplicaFixture(pg.newDatabase(), server);
    StrictOAuthServer.TokenPair valid =
        fx.seed(ReplicaFixture.AGENT, ReplicaFixture.PROFILE); // valid 1 h
    // no proactive scheduler after its first run at start-up: the expired grant below is refreshed
    // only when the test asks for it
    List<ReplicaProcess> replicas = fx.start(2, Map.of("tokensink.jobs.interval", "1h"));
    resources.addAll(replicas);
    StrictOAuthServer.TokenPair expired = server.seedGrant();
    fx.seed(LATE, ReplicaFixture.PROFILE, expired, System.currentTimeMillis() - 1000);
    for (ReplicaProcess r : replicas) {
      EventLog.awaitCachedExpired(r, LATE, Duration.ofSeconds(10));
    }
    for (ReplicaProcess r : replicas) {
      assertEquals(
          valid.access(), ReplicaFixture.awaitServing(r, Duration.ofSeconds(10)).getSecret());
    }

    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean outage = new AtomicBoolean();
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger outageCalls = new AtomicInteger();
    Semaphore answered = new Semaphore(0);
    Semaphore answeredDuringOutage = new Semaphore(0);
    AtomicInteger failures = new AtomicInteger();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    ExecutorService pool = Executors.newFixedThreadPool(2 * CALLERS_PER_REPLICA);
    resources.add(pool::shutdownNow);
    List<Future<?>> callers = new ArrayList<>();
    for (ReplicaProcess r : replicas) {
      for (int i = 0; i < CALLERS_PER_REPLICA; i++) {
        callers.add(
            pool.submit(
                () -> {
                  while (!stop.get()) {
                    boolean during = outage.get();
                    calls.incrementAndGet();
                    try {
                      Credential c =
                          r.broker()
                              .withDeadlineAfter(10, TimeUnit.SECONDS)
                              .getCredential(request(ReplicaFixture.AGENT));
                      if (!valid.access().equals(c.getSecret())) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, r + " served another token");
                      }
                    } catch (StatusRuntimeException e) {
                      failures.incrementAndGet();
                      firstFailure.compareAndSet(
                          null, r + (during ? " during the outage: " : ": ") + e.getStatus());
                    }
                    answered.release();
                    if (during) {
                      outageCalls.incrementAndGet();
                      answeredDuringOutage.release();
                    }
                  }
                }));
      }
    }
    assertTrue(answered.tryAcquire(200, 30, TimeUnit.SECONDS), "load before the outage");

    outage.set(true);
    pg.stop();
    long down = System.nanoTime();
    List<Long> redMs = new ArrayList<>();
    for (ReplicaProcess r : replicas) {
      r.awaitReadiness(503, Duration.ofSeconds(20));
      redMs.add((System.nanoTime() - down) / 1_000_000);
    }
    // a credential that needs a refresh cannot be refreshed without the database: UNAVAILABLE, no
    // token call
    for (ReplicaProcess r : replicas) {
      StatusRuntimeException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              StatusRuntimeException.class,
              () ->
                  r.broker().withDeadlineAfter(30, TimeUnit.SECONDS).getCredential(request(LATE)));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
    }
    assertEquals(0, server.refreshCalls());
    // keep the load on with the database away: 500 more answers from the cache
    answeredDuringOutage.drainPermits();
    assertTrue(
        answeredDuringOutage.tryAcquire(500, 60, TimeUnit.SECONDS), "calls during the outage");
    long outageMs = (System.nanoTime() - down) / 1_000_000;

    pg.start();
    long up = System.nanoTime();
    outage.set(false);
    List<Long> greenMs = new ArrayList<>();
    for (ReplicaProcess r : replicas) {
      r.awaitReadiness(200, Duration.ofSeconds(30));
      greenMs.add((System.nanoTime() - up) / 1_000_000);
    }
    stop.set(true);
    for (Future<?> f : callers) {
      f.get(30, TimeUnit.SECONDS);
    }
    assertEquals(
        0,
        failures.get(),
        "failed calls for a valid cached credential, first: " + firstFailure.get());
    assertTrue(outageCalls.get() > 0, "calls were made during the outage");

    // writes and change notifications work again: one refresh on A, B serves its result without a
    // call
    EventLog onBEvents = EventLog.follow(replicas.get(1), LATE);
    resources.add(onBEvents::cancel);
    onBEvents.awaitLive();
    Credential onA =
        replicas
            .get(0)
            .broker()
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .getCredential(request(LATE));
    assertNotEquals(expired.access(), onA.getSecret());
    assertEquals(1, server.refreshCalls());
    onBEvents.await(
        ExpiryEvent.Type.REFRESHED, ReplicaFixture.PROFILE.toString(), Duration.ofSeconds(10));
    String onB =
        replicas
            .get(1)
            .broker()
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .getCredential(request(LATE))
            .getSecret();
    assertEquals(onA.getSecret(), onB);
    assertEquals(1, server.refreshCalls());
    assertEquals(0, server.reusesDetected());

    Figures.report(
        "DatabaseRestartIT",
        String.format(
            "replicas=2 callers=%d calls=%d callsDuringOutage=%d failed=%d outage=%dms readinessRedAfter=%s ms "
                + "readinessGreenAfterDbStart=%s ms expiredDuringOutage=UNAVAILABLE",
            2 * CALLERS_PER_REPLICA,
            calls.get(),
            outageCalls.get(),
            failures.get(),
            outageMs,
            redMs,
            greenMs));
    ReplicaFixture.assertNoSecretsLogged(
        replicas, List.of(valid.access(), valid.refresh(), expired.refresh(), onA.getSecret()));
  }
}
