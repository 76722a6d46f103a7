package dev.tokensink.openclaw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import dev.tokensink.testing.MutableClock;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures an import of 50 agents × 20 profiles (each agent its own database) into a FileStore and
 * prints the time: {@code mvn -q -B test -Dtest='dev.tokensink.openclaw.ImportPerformanceTest'}.
 */
class ImportPerformanceTest {
  @TempDir Path tmp;

  @Test
  void fiftyAgentsTwentyProfiles() {
    Path src = tmp.resolve("src");
    OpenClawSources.stateDb(
        src.resolve("state/openclaw.sqlite"),
        Map.of("auth.sharedStore", "{\"location\":\"state-db\"}"));
    for (int a = 0; a < 50; a++) {
      StringBuilder p = new StringBuilder("{\"version\":1,\"profiles\":{");
      for (int i = 0; i < 20; i++) {
        p.append(i == 0 ? "" : ",")
            .append("\"anthropic:p")
            .append(i)
            .append("\":{\"type\":\"token\",\"provider\":\"anthropic\",")
            .append("\"token\":\"sk-ant-oat01-fake-")
            .append(a)
            .append('-')
            .append(i)
            .append("\"}");
      }
      p.append("}}");
      OpenClawSources.agentDb(
          src.resolve("agents/a" + a + "/agent/openclaw-agent.sqlite"),
          p.toString(),
          "{\"version\":1,\"order\":{\"anthropic\":[\"anthropic:p1\",\"anthropic:p0\"]}}",
          23);
    }
    MutableClock clock = MutableClock.at("2026-11-23T18:30:00Z");
    try (FileStore store = new FileStore(FileStoreSettings.of(tmp.resolve("ts")), clock)) {
      long t0 = System.nanoTime();
      ImportResult r =
          new OpenClawImport()
              .run(new ImportOptions(src, null, false, false), store, Map.of(), clock);
      long first = (System.nanoTime() - t0) / 1_000_000;
      t0 = System.nanoTime();
      ImportResult again =
          new OpenClawImport()
              .run(new ImportOptions(src, null, false, false), store, Map.of(), clock);
      long second = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(1000, r.report().importedCount());
      assertEquals(0, again.report().importedCount());
      System.out.println(
          "import openclaw, 50 agents x 20 profiles: first run "
              + first
              + " ms, second run (no changes) "
              + second
              + " ms");
    }
  }
}
