package dev.tokensink.store.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokensink.model.AgentSnapshot;

/** Snapshot equality with a message that says which part differs (records print no secrets). */
final class Snapshots {
  private Snapshots() {}

  static void assertSame(AgentSnapshot expected, AgentSnapshot actual) {
    assertEquals(expected.profiles().keySet(), actual.profiles().keySet(), "profile ids");
    expected
        .profiles()
        .forEach(
            (id, p) -> {
              var a = actual.profile(id);
              assertEquals(p.credential(), a.credential(), id + " credential");
              assertEquals(p.extra(), a.extra(), id + " extra");
              assertEquals(p, a, id.toString());
            });
    assertEquals(expected.order(), actual.order(), "order");
    assertEquals(expected.state().usageStats(), actual.state().usageStats(), "usage");
    assertEquals(expected.state(), actual.state(), "state");
    assertEquals(expected.extra(), actual.extra(), "extra");
    assertEquals(expected, actual);
  }
}
