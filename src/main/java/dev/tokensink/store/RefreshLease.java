package dev.tokensink.store;

/**
 * The refresh lease of one profile, held for a whole refresh, token call included (docs/rules.md
 * §2, §7). At most one holder across threads, processes on one state dir and replicas on one
 * database; released by {@link #close()} or, when its holder dies, by the OS or the database.
 * Unlike the agent lock it blocks nobody but the next refresh of the same profile: other profiles,
 * outcome reports and CLI writes of the agent go on while a token call waits for its answer.
 */
public interface RefreshLease extends AutoCloseable {
  @Override
  void close();
}
