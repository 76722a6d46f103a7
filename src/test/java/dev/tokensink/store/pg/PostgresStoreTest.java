package dev.tokensink.store.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.ProfileId;
import dev.tokensink.testing.PostgresServer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresServer.class)
class PostgresStoreTest {
  private static final AgentId MAIN = AgentId.MAIN;
  private PostgresStore store;
  private String url;

  @BeforeEach
  void open(PostgresServer pg) {
    url = pg.newDatabase();
    store = PostgresStore.open(PgStoreConfig.of(url, "postgres", null, null));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void update_everyProfileTypeWithUnknownFields_roundTripsThroughANewStore() {
    AgentSnapshot full = Samples.full(MAIN);
    store.update(
        MAIN,
        tx -> {
          tx.write(full);
          return null;
        });
    try (PostgresStore other = PostgresStore.open(PgStoreConfig.of(url, "postgres", null, null))) {
      AgentSnapshot back = other.read(MAIN).orElseThrow();
      Snapshots.assertSame(full, back);
      assertEquals(
          List.copyOf(full.profiles().keySet()),
          List.copyOf(back.profiles().keySet()),
          "profile order kept");
    }
  }

  @Test
  void read_unknownAgent_isEmpty_andCreateAgentMakesItExist() {
    AgentId work = AgentId.of("work");
    assertEquals(Optional.empty(), store.read(work));
    store.createAgent(work);
    store.createAgent(work);
    assertEquals(
        Optional.of(AgentSnapshot.empty(work)),
        store.read(work).map(s -> AgentSnapshot.empty(work)));
    assertTrue(store.read(work).orElseThrow().profiles().isEmpty());
    assertEquals(List.of(work), store.agents());
    assertEquals(Optional.empty(), store.writeRefusal());
  }

  @Test
  void update_removingAProfileAndReordering_writesOnlyWhatChanged() {
    store.update(
        MAIN,
        tx -> {
          tx.write(Samples.full(MAIN));
          return null;
        });
    ProfileId work = ProfileId.parse("anthropic:work");
    ProfileId setup = ProfileId.parse("anthropic:setup");
    store.update(
        MAIN,
        tx -> {
          tx.write(
              tx.current()
                  .withoutProfile(ProfileId.parse("openrouter:default"))
                  .withOrder("anthropic", List.of(setup, work)));
          return null;
        });
    AgentSnapshot back = store.read(MAIN).orElseThrow();
    assertFalse(back.profiles().containsKey(ProfileId.parse("openrouter:default")));
    assertEquals(List.of(setup, work), back.order().get("anthropic"));
    assertEquals(3, back.profiles().size());
  }

  @Test
  void update_thatWritesNothing_leavesVersionsAlone() throws Exception {
    store.update(
        MAIN,
        tx -> {
          tx.write(Samples.full(MAIN));
          return null;
        });
    long before = PgRows.profileVersion(url, MAIN, "anthropic:work");
    String result =
        store.update(
            MAIN,
            tx -> {
              tx.write(tx.current());
              return "ok";
            });
    assertEquals("ok", result);
    assertEquals(before, PgRows.profileVersion(url, MAIN, "anthropic:work"));
  }

  @Test
  void healthy_whileTheDatabaseAnswers() {
    assertTrue(store.healthy());
  }
}
