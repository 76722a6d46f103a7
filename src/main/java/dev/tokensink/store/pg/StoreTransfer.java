package dev.tokensink.store.pg;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.store.CredentialStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies every agent from one {@link CredentialStore} to another: the file store into PostgreSQL
 * ({@code tokensink store import --from-state-dir DIR}) or back ({@code tokensink store export}).
 * Each agent is copied whole, under the target's agent lock, replacing what the target holds for
 * that agent; agents only in the target are left alone. Idempotent: an agent whose target snapshot
 * already equals the source is not written, so a second run changes nothing.
 */
public final class StoreTransfer {

  /** What one run did, by agent. */
  public record Result(List<AgentId> copied, List<AgentId> unchanged) {
    public Result {
      copied = List.copyOf(copied);
      unchanged = List.copyOf(unchanged);
    }
  }

  private StoreTransfer() {}

  /**
   * Copies every agent of {@code from} into {@code to}. Reads of the source are not locked: run it
   * while nothing writes the source (the CLI commands do).
   *
   * @throws dev.tokensink.store.StoreException from either store; agents copied before the failure
   *     stay copied
   */
  public static Result copy(CredentialStore from, CredentialStore to) {
    to.writeRefusal()
        .ifPresent(
            reason -> {
              throw new dev.tokensink.store.StoreException.WriteRefused(reason);
            });
    List<AgentId> copied = new ArrayList<>();
    List<AgentId> unchanged = new ArrayList<>();
    for (AgentId agent : from.agents()) {
      AgentSnapshot source = from.read(agent).orElse(AgentSnapshot.empty(agent));
      boolean wrote =
          to.update(
              agent,
              tx -> {
                if (tx.current().equals(source)) {
                  return false;
                }
                tx.write(source);
                return true;
              });
      (wrote ? copied : unchanged).add(agent);
    }
    return new Result(copied, unchanged);
  }
}
