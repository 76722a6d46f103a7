package dev.tokensink.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code auth.order} of an OpenClaw state dir's openclaw.json (docs/rules.md §1, §3). */
class OpenClawJsonTest {

  @Test
  void json5Order_withVariables_read() throws Exception {
    Path dir = Files.createTempDirectory("tokensink-ocj-");
    Files.writeString(
        dir.resolve("openclaw.json"),
        "{ /* c */ auth: { order: { anthropic: ['anthropic:${WHO}', \"anthropic:b\",], x: 3 } } }");
    OpenClawJson.Order o = OpenClawJson.authOrder(dir, Map.of("WHO", "work"));
    assertEquals(
        Map.of("anthropic", List.of("anthropic:work", "anthropic:b"), "x", List.of()), o.order());
    assertEquals(List.of(), o.warnings());
  }

  @Test
  void unparsable_namedWithPositionAndIgnored() throws Exception {
    Path dir = Files.createTempDirectory("tokensink-ocj-");
    Files.writeString(dir.resolve("openclaw.json"), "{\n  auth: { order: [ }\n");
    OpenClawJson.Order o = OpenClawJson.authOrder(dir, Map.of());
    assertEquals(Map.of(), o.order());
    assertEquals(1, o.warnings().size());
    String w = o.warnings().get(0);
    assertTrue(w.contains(dir.resolve("openclaw.json").toString()), w);
    assertTrue(w.contains("does not parse at line 2"), w);
    assertTrue(w.contains("ignored"), w);
  }

  @Test
  void noFile_empty_noWarning() throws Exception {
    OpenClawJson.Order o =
        OpenClawJson.authOrder(Files.createTempDirectory("tokensink-ocj-"), Map.of());
    assertEquals(Map.of(), o.order());
    assertEquals(List.of(), o.warnings());
  }

  @Test
  void unsetVariable_keptAndReported() throws Exception {
    Path dir = Files.createTempDirectory("tokensink-ocj-");
    Files.writeString(dir.resolve("openclaw.json"), "{auth:{order:{a:['a:${NOPE}']}}}");
    OpenClawJson.Order o = OpenClawJson.authOrder(dir, Map.of());
    assertEquals(List.of("a:${NOPE}"), o.order().get("a"));
    assertEquals(List.of("openclaw.json names ${NOPE}, which is not set"), o.warnings());
  }

  @Test
  void merged_tokensinkWinsPerProvider() {
    assertEquals(
        Map.of("a", List.of("a:2"), "b", List.of("b:1")),
        OpenClawJson.merged(
            Map.of("a", List.of("a:1"), "b", List.of("b:1")), Map.of("a", List.of("a:2"))));
  }
}
