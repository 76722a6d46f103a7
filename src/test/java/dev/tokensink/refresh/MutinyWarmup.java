package dev.tokensink.refresh;

import io.smallrye.mutiny.Uni;

/**
 * Initializes Mutiny's infrastructure on one thread before tests (and child JVMs) go concurrent.
 */
final class MutinyWarmup {
  private MutinyWarmup() {}

  static synchronized void run() {
    Uni.createFrom().deferred(() -> Uni.createFrom().item(1)).await().indefinitely();
  }
}
