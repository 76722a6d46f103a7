package dev.tokensink.metrics;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.store.CredentialStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link CredentialStore} that times its writes: {@code op=commit} from the end of an update's
 * work to the data being durable (file rename or database commit) and the lock released, only for
 * updates that wrote; {@code op=flush} for an immediate persist inside an update (the
 * refresh-in-flight marker). Lock waits and token calls are not part of it. Everything else is
 * passed through unchanged.
 */
public final class TimedStore implements CredentialStore {
  static final String NAME = "tokensink.store.write.duration";

  private final CredentialStore delegate;
  private final Timer commit;
  private final Timer flush;

  public TimedStore(CredentialStore delegate, String backend, MeterRegistry registry) {
    this.delegate = delegate;
    this.commit = timer(registry, backend, "commit");
    this.flush = timer(registry, backend, "flush");
  }

  private static Timer timer(MeterRegistry registry, String backend, String op) {
    return Timer.builder(NAME)
        .description("Time to persist an agent's credentials and state")
        .tags("backend", backend, "op", op)
        .serviceLevelObjectives(
            Duration.ofMillis(1),
            Duration.ofMillis(5),
            Duration.ofMillis(10),
            Duration.ofMillis(25),
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(250),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5))
        .register(registry);
  }

  /** The wrapped store (for code that needs the file store's own API). */
  public static CredentialStore unwrap(CredentialStore store) {
    return store instanceof TimedStore t ? t.delegate : store;
  }

  @Override
  public java.util.Optional<dev.tokensink.store.RefreshLease> refreshLease(
      AgentId agent, dev.tokensink.model.ProfileId profile, java.time.Duration wait) {
    return delegate.refreshLease(agent, profile, wait);
  }

  @Override
  public <T> T update(AgentId agent, AgentWork<T> work) {
    long[] workDone = {0L};
    T result =
        delegate.update(
            agent,
            tx -> {
              Tx timed = new Tx(tx, flush);
              T r = work.run(timed);
              if (timed.wrote) {
                workDone[0] = System.nanoTime();
              }
              return r;
            });
    if (workDone[0] != 0L) {
      commit.record(System.nanoTime() - workDone[0], java.util.concurrent.TimeUnit.NANOSECONDS);
    }
    return result;
  }

  private static final class Tx implements AgentTx {
    private final AgentTx tx;
    private final Timer flush;
    boolean wrote;

    Tx(AgentTx tx, Timer flush) {
      this.tx = tx;
      this.flush = flush;
    }

    @Override
    public AgentSnapshot current() {
      return tx.current();
    }

    @Override
    public void write(AgentSnapshot next) {
      wrote = true;
      tx.write(next);
    }

    @Override
    public void flush() {
      flush.record(tx::flush);
    }
  }

  @Override
  public List<AgentId> agents() {
    return delegate.agents();
  }

  @Override
  public Optional<AgentSnapshot> read(AgentId agent) {
    return delegate.read(agent);
  }

  @Override
  public void importLegacy(AgentId agent) {
    delegate.importLegacy(agent);
  }

  @Override
  public void createAgent(AgentId agent) {
    delegate.createAgent(agent);
  }

  @Override
  public void onChange(Consumer<AgentId> listener) {
    delegate.onChange(listener);
  }

  @Override
  public Optional<String> writeRefusal() {
    return delegate.writeRefusal();
  }

  @Override
  public boolean healthy() {
    return delegate.healthy();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
