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
 * <p>Thread-safe. The future completes on the worker thread and is removed from the map before it
 * completes, so a caller arriving afterwards starts a new flight, which re-reads the store under
 * the lock and finds the credential just written (no endpoint call).
 */
final class Flights {
  /** The blocking body of a flight; throws {@link RefreshException} to fail every waiter. */
  @FunctionalInterface
  interface Body {
    dev.tokensink.model.Profile run(ProfileKey key, RefreshMode mode, Secret saw);
  }

  private record FlightKey(ProfileKey profile, boolean forced) {}

  /** A flight's future, knowing when the flight started (for the callers' wait). */
  static final class Flight extends CompletableFuture<dev.tokensink.model.Profile> {
    final long startedNanos = System.nanoTime();

    /** How long the flight has been running. */
    long ageNanos() {
      return System.nanoTime() - startedNanos;
    }
  }

  private final Executor executor;
  private final RefreshCounters counters;
  private final Body body;
  private final Map<FlightKey, Flight> running = new ConcurrentHashMap<>();

  Flights(Executor executor, RefreshCounters counters, Body body) {
    this.executor = executor;
    this.counters = counters;
    this.body = body;
  }

  Flight join(ProfileKey key, RefreshMode mode, Secret saw) {
    FlightKey fk = new FlightKey(key, mode == RefreshMode.FORCE);
    Flight mine = new Flight();
    while (true) {
      Flight existing = running.putIfAbsent(fk, mine);
      if (existing == null) {
        break;
      }
      if (!existing.isDone()) {
        return existing;
      }
      // A finished flight is never joined: its answer may be older than the caller's view of time.
      running.remove(fk, existing);
    }
    counters.flights.incrementAndGet();
    try {
      executor.execute(() -> run(fk, mine, mode, saw));
    } catch (RejectedExecutionException e) {
      finish(
          fk,
          mine,
          null,
          new RefreshException(
              RefreshException.Kind.UNAVAILABLE,
              key.agent(),
              key.profile(),
              null,
              "refresh workers are saturated; retry shortly",
              e));
    }
    return mine;
  }

  private void run(
      FlightKey fk,
      CompletableFuture<dev.tokensink.model.Profile> f,
      RefreshMode mode,
      Secret saw) {
    try {
      finish(fk, f, body.run(fk.profile(), mode, saw), null);
    } catch (RuntimeException | Error e) {
      finish(fk, f, null, e);
    }
  }

  private void finish(
      FlightKey fk,
      CompletableFuture<dev.tokensink.model.Profile> f,
      dev.tokensink.model.Profile result,
      Throwable error) {
    // Unregister before completing: completion runs the waiters' callbacks, after which a caller
    // may already be in its next round (later clock) and must start a new flight, not reuse this
    // one.
    running.remove(fk, f);
    if (error == null) {
      f.complete(result);
    } else {
      f.completeExceptionally(error);
    }
  }
}
