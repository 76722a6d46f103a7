package dev.tokensink.store.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.AgentId;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import dev.tokensink.testing.Fixtures;
import dev.tokensink.testing.PostgresServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(PostgresServer.class)
class StoreTransferTest {

  @Test
  void copy_fileStoreIntoPostgres_isCompleteAndIdempotent(PostgresServer pg, @TempDir Path tmp)
      throws Exception {
    Path stateDir = Fixtures.copy("openclaw-agents", tmp.resolve("state"));
    try (FileStore files = new FileStore(FileStoreSettings.of(stateDir), Clock.systemUTC());
        PostgresStore db = PostgresStoreConcurrencyTest.open(pg.newDatabase())) {
      List<AgentId> agents = files.agents();
      assertFalse(agents.isEmpty());
      StoreTransfer.Result first = StoreTransfer.copy(files, db);
      assertEquals(agents, first.copied());
      assertEquals(agents, db.agents());
      for (AgentId a : agents) {
        Snapshots.assertSame(files.read(a).orElseThrow(), db.read(a).orElseThrow());
      }
      StoreTransfer.Result second = StoreTransfer.copy(files, db);
      assertEquals(List.of(), second.copied());
      assertEquals(agents, second.unchanged());
    }
  }

  @Test
  void copy_postgresIntoAnEmptyFileStore_andBack_changesNothing(
      PostgresServer pg, @TempDir Path tmp) {
    String url = pg.newDatabase();
    try (PostgresStore db = PostgresStoreConcurrencyTest.open(url);
        FileStore files =
            new FileStore(FileStoreSettings.of(tmp.resolve("export")), Clock.systemUTC())) {
      db.update(
          AgentId.MAIN,
          tx -> {
            tx.write(Samples.full(AgentId.MAIN));
            return null;
          });
      assertEquals(List.of(AgentId.MAIN), StoreTransfer.copy(db, files).copied());
      Snapshots.assertSame(
          db.read(AgentId.MAIN).orElseThrow(), files.read(AgentId.MAIN).orElseThrow());
      assertTrue(
          StoreTransfer.copy(db, files).copied().isEmpty(),
          "export twice: nothing the second time");
      assertTrue(
          StoreTransfer.copy(files, db).copied().isEmpty(),
          "and importing it back changes nothing");
    }
  }
}
