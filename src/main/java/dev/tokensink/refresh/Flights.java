package dev.tokensink.refresh;

import dev.tokensink.model.Secret;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Single flight per (agent, profile) in this process: the first caller starts the work on the
 * worker executor, every caller until it completes joins the same future. Forced refreshes are a
 * separate flight key: joining an ordinary one could hand back the very token the provider just
 * rejected; the agent lock orders the two, and the second re-reads and skips the endpoint.
 *
 * <p>Thread-safe. The future completes on the worker thread; it is removed from the map only after
 * completion, so a late caller either joins it (and gets the same result) or starts a new flight
 * that re-reads the store under the lock.
 */
final class Flights {
  /** The blocking body of a flight; throws {@link RefreshException} to fail every waiter. */
  @FunctionalInterface
  interface Body {
    dev.tokensink.model.Profile run(ProfileKey key, RefreshMode mode, Secret saw);
  }

  private record FlightKey(ProfileKey profile, boolean forced) {}

  private final Executor executor;
  private final RefreshCounters counters;
  private final Body body;
  private final Map<FlightKey, CompletableFuture<dev.tokensink.model.Profile>> running = new ConcurrentHashMap<>();

  Flights(Executor executor, RefreshCounters counters, Body body) {
    this.executor = executor;
    this.counters = counters;
    this.body = body;
  }

  CompletableFuture<dev.tokensink.model.Profile> join(ProfileKey key, RefreshMode mode, Secret saw) {
    FlightKey fk = new FlightKey(key, mode == RefreshMode.FORCE);
    CompletableFuture<dev.tokensink.model.Profile> mine = new CompletableFuture<>();
    CompletableFuture<dev.tokensink.model.Profile> existing = running.putIfAbsent(fk, mine);
    if (existing != null) {
      return existing;
    }
    counters.flights.incrementAndGet();
    try {
      executor.execute(() -> run(fk, mine, mode, saw));
    } catch (RejectedExecutionException e) {
      finish(fk, mine, null, new RefreshException(RefreshException.Kind.UNAVAILABLE, key.agent(), key.profile(),
          null, "refresh workers are saturated; retry shortly", e));
    }
    return mine;
  }

  private void run(FlightKey fk, CompletableFuture<dev.tokensink.model.Profile> f, RefreshMode mode, Secret saw) {
    try {
      finish(fk, f, body.run(fk.profile(), mode, saw), null);
    } catch (RuntimeException | Error e) {
      finish(fk, f, null, e);
    }
  }

  private void finish(FlightKey fk, CompletableFuture<dev.tokensink.model.Profile> f,
      dev.tokensink.model.Profile result, Throwable error) {
    if (error == null) {
      f.complete(result);
    } else {
      f.completeExceptionally(error);
    }
    running.remove(fk, f);
  }
}
