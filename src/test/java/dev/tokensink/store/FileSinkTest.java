package dev.tokensink.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProfileType;
import dev.tokensink.model.ProviderId;
import dev.tokensink.model.Secret;
import dev.tokensink.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinkTest {
  @TempDir Path tmp;

  @Test
  void sink_isWritten0600_andNeverImportedAsLegacyAuthJson() throws Exception {
    MutableClock clock = MutableClock.at("2026-03-01T00:00:00Z");
    FileStore store = new FileStore(FileStoreSettings.of(tmp), clock);
    new FileSink(store, clock)
        .writeSink(
            AgentId.of("bot"),
            Map.of(
                ProviderId.of("anthropic"),
                new FileSink.Entry(
                    ProfileId.parse("anthropic:work"),
                    ProfileType.TOKEN,
                    Secret.of("sk-ant-oat01-x"),
                    99L)));
    Path sink = store.agentDir(AgentId.of("bot")).resolve("auth.json");
    assertEquals("rw-------", FileStoreTest.mode(sink));
    JsonNode json = StoreJson.parse(Files.readAllBytes(sink), "auth.json");
    assertEquals("sk-ant-oat01-x", json.get("providers").get("anthropic").get("secret").asText());
    assertEquals(99, json.get("providers").get("anthropic").get("expires").asLong());

    assertTrue(store.read(AgentId.of("bot")).orElseThrow().profiles().isEmpty());
    assertTrue(Files.exists(sink), "the sink is not renamed aside as if imported");
    try (var files = Files.list(store.agentDir(AgentId.of("bot")))) {
      assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith("auth.json.imported")));
    }
  }

  @Test
  void sameCredentials_areNotRewritten_changedOnesAre() throws Exception {
    MutableClock clock = MutableClock.at("2026-03-01T00:00:00Z");
    FileStore store = new FileStore(FileStoreSettings.of(tmp), clock);
    FileSink sink = new FileSink(store, clock);
    AgentId bot = AgentId.of("bot");
    Map<ProviderId, FileSink.Entry> entries =
        Map.of(
            ProviderId.of("anthropic"),
            new FileSink.Entry(
                ProfileId.parse("anthropic:work"),
                ProfileType.TOKEN,
                Secret.of("sk-ant-oat01-x"),
                99L));
    sink.writeSink(bot, entries);
    Path file = store.agentDir(bot).resolve("auth.json");
    byte[] first = Files.readAllBytes(file);

    clock.advance(java.time.Duration.ofMinutes(5)); // a restart: the same credentials again
    sink.writeSink(bot, entries);
    assertEquals(new String(first), new String(Files.readAllBytes(file)), "not rewritten");

    sink.writeSink(
        bot,
        Map.of(
            ProviderId.of("anthropic"),
            new FileSink.Entry(
                ProfileId.parse("anthropic:work"),
                ProfileType.TOKEN,
                Secret.of("sk-ant-oat01-y"),
                99L)));
    JsonNode json = StoreJson.parse(Files.readAllBytes(file), "auth.json");
    assertEquals("sk-ant-oat01-y", json.get("providers").get("anthropic").get("secret").asText());
    assertEquals(clock.millis(), json.get("writtenAt").asLong());
  }
}
