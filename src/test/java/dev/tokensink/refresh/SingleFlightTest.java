package dev.tokensink.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.Profile;
import dev.tokensink.testing.Gate;
import dev.tokensink.testing.StrictOAuthServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * google-auth-library-java style: park the token endpoint, start N callers, release, count
 * requests.
 */
class SingleFlightTest {
  private static final int CALLERS = 1000;

  @TempDir Path dir;
  private RefreshFixture f;
  private Profile cached;

  @BeforeEach
  void setUp() {
    f = new RefreshFixture(dir);
    cached = f.login();
    f.clock.advance(Duration.ofHours(2));
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void ensureFresh_thousandCallersOnExpiredProfile_oneTokenCall() throws Exception {
    List<CompletableFuture<Profile>> results = parkedCallers();
    Set<String> access = new HashSet<>();
    for (CompletableFuture<Profile> r : results) {
      access.add(RefreshFixture.oauth(r.get(10, TimeUnit.SECONDS)).access().reveal());
    }
    assertEquals(1, f.strict.refreshCalls());
    assertEquals(1, access.size(), "every caller got the same access token");
    assertEquals(
        access.iterator().next(),
        RefreshFixture.oauth(f.storedProfile()).access().reveal(),
        "the served token was persisted");
    assertTrue(f.stored().state().refreshInFlight().isEmpty(), "marker cleared");
    assertEquals(CALLERS, f.coordinator.counters().waiters());
    assertEquals(0, f.strict.reusesDetected());
  }

  @Test
  void ensureFresh_thousandCallersEndpointAnswers500_allShareOneUnavailableError()
      throws Exception {
    f.strict.fault(StrictOAuthServer.Fault.SERVER_ERROR);
    Throwable first = sharedFailure(parkedCallers());
    assertEquals(RefreshException.Kind.UNAVAILABLE, ((RefreshException) first).kind());
    assertEquals(1, f.strict.refreshCalls());
    assertTrue(f.stored().state().reauth().isEmpty(), "a transient failure never marks re-auth");
  }

  @Test
  void ensureFresh_thousandCallersInvalidGrant_allShareOneReauthError() throws Exception {
    f.strict.respondWith(400, "{\"error\":\"invalid_grant\",\"error_description\":\"revoked\"}");
    Throwable first = sharedFailure(parkedCallers());
    RefreshException e = (RefreshException) first;
    assertEquals(RefreshException.Kind.REAUTH_REQUIRED, e.kind());
    assertTrue(
        e.getMessage().contains("tokensink models auth login --provider openai-codex --agent main"),
        e.getMessage());
    assertEquals(1, f.strict.refreshCalls());
    assertTrue(f.stored().state().reauth().containsKey(RefreshFixture.ID), "mark persisted");
  }

  /**
   * Starts {@link #CALLERS} callers from 16 threads while the token endpoint is gated, then
   * releases.
   */
  private List<CompletableFuture<Profile>> parkedCallers() throws Exception {
    Gate gate = new Gate();
    f.strict.gate(gate);
    ExecutorService callers = Executors.newFixedThreadPool(16);
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<CompletableFuture<Profile>>> submitted = new ArrayList<>();
    for (int i = 0; i < CALLERS; i++) {
      CompletableFuture<CompletableFuture<Profile>> s = new CompletableFuture<>();
      submitted.add(s);
      callers.execute(
          () -> {
            try {
              start.await();
              s.complete(
                  f.coordinator
                      .ensureFresh(RefreshFixture.AGENT, cached)
                      .subscribeAsCompletionStage());
            } catch (InterruptedException e) {
              s.completeExceptionally(e);
            }
          });
    }
    start.countDown();
    List<CompletableFuture<Profile>> results = new ArrayList<>();
    for (CompletableFuture<CompletableFuture<Profile>> s : submitted) {
      results.add(s.get(10, TimeUnit.SECONDS));
    }
    callers.shutdown();
    assertTrue(gate.awaitArrivals(1, Duration.ofSeconds(10)), "the refresh reached the endpoint");
    assertTrue(
        results.stream().noneMatch(CompletableFuture::isDone),
        "all callers wait on the parked refresh");
    gate.open();
    return results;
  }

  private static Throwable sharedFailure(List<CompletableFuture<Profile>> results)
      throws InterruptedException {
    Throwable first = null;
    for (CompletableFuture<Profile> r : results) {
      try {
        r.get(10, TimeUnit.SECONDS);
        throw new AssertionError("a caller got a credential");
      } catch (ExecutionException e) {
        if (first == null) {
          first = e.getCause();
        }
        assertSame(first, e.getCause(), "every caller gets the same error");
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError(e);
      }
    }
    assertTrue(first instanceof RefreshException, String.valueOf(first));
    return first;
  }
}
