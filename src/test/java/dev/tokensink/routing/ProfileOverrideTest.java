package dev.tokensink.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProfileOverrideTest {

  static Stream<Arguments> valid() {
    return Stream.of(
        // input, model, profile
        Arguments.of("", null, null),
        Arguments.of("   ", null, null),
        Arguments.of("anthropic:work", null, "anthropic:work"),
        Arguments.of("openai-codex:me@example.com", null, "openai-codex:me@example.com"),
        Arguments.of("/model openai-codex:me@example.com", null, "openai-codex:me@example.com"),
        Arguments.of("llama3:8b@local:me", "llama3:8b", "local:me"),
        Arguments.of("Opus@anthropic:work", "Opus", "anthropic:work"),
        Arguments.of("/model Opus@anthropic:work", "Opus", "anthropic:work"),
        Arguments.of("  /model   Opus@anthropic:work \n", "Opus", "anthropic:work"),
        Arguments.of("claude@20250514", "claude@20250514", null),
        Arguments.of(
            "claude-opus@20250514@anthropic:work", "claude-opus@20250514", "anthropic:work"),
        Arguments.of("llama@q4_k_m@local:me", "llama@q4_k_m", "local:me"),
        Arguments.of("llama@Q8_0@local:me", "llama@Q8_0", "local:me"),
        Arguments.of("mistral@4bit@local:me", "mistral@4bit", "local:me"),
        Arguments.of("qwen@fp16", "qwen@fp16", null),
        Arguments.of("qwen@bf16@local:a", "qwen@bf16", "local:a"),
        Arguments.of("qwen@int8@local:a", "qwen@int8", "local:a"),
        Arguments.of("m@iq2_xxs@local:a", "m@iq2_xxs", "local:a"),
        Arguments.of("m@20250514@q8_0@local:a", "m@20250514@q8_0", "local:a"),
        Arguments.of("opus@google:a@b.com", "opus", "google:a@b.com"),
        Arguments.of("gpt@openai-codex:me@example.com", "gpt", "openai-codex:me@example.com"),
        Arguments.of("provider/model@anthropic:work", "provider/model", "anthropic:work"),
        Arguments.of("a@b/model@anthropic:work", "a@b/model", "anthropic:work"),
        Arguments.of("openrouter/anthropic/claude-3.5", "openrouter/anthropic/claude-3.5", null),
        Arguments.of("Opus", "Opus", null),
        Arguments.of("/model Opus", "Opus", null),
        Arguments.of("ollama/llama3:8b", "ollama/llama3:8b", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void parse_validOverride_splitsModelAndProfile(String input, String model, String profile) {
    ProfileOverride o = ProfileOverride.parse(input);
    assertEquals(model, o.model());
    assertEquals(profile, o.profile() == null ? null : o.profile().toString());
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        // input, a fragment of the message
        Arguments.of("@", "no model before '@'"),
        Arguments.of("model@", "no profile after '@'"),
        Arguments.of("@anthropic:work", "no model before '@'"),
        Arguments.of("/model", "/model needs an argument"),
        Arguments.of("  /model   ", "/model needs an argument"),
        Arguments.of("/models Opus", "unknown command"),
        Arguments.of("/model Opus @anthropic:work", "no spaces"),
        Arguments.of("Opus @anthropic:work", "no spaces"),
        Arguments.of("Opus@anthropic:work\u0000", "no spaces"),
        Arguments.of("Opus@anthropic:wörk", "no spaces"),
        Arguments.of("Opus@foo", "expected provider:name"),
        Arguments.of("Opus@work@example.com", "expected provider:name"),
        Arguments.of("Opus@Anthropic:work", "provider id"),
        Arguments.of("x".repeat(10 * 1024), "too long (10240 bytes"),
        Arguments.of("é".repeat(300), "too long (600 bytes"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void parse_malformedOverride_invalidArgument(String input, String fragment) {
    RoutingException e = assertThrows(RoutingException.class, () -> ProfileOverride.parse(input));
    assertEquals(RoutingException.Kind.INVALID_ARGUMENT, e.kind());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void parse_atAtAt_suggestsAValidProfileIdNotAnotherMalformedOne() {
    RoutingException e = assertThrows(RoutingException.class, () -> ProfileOverride.parse("@@@"));
    assertTrue(e.getMessage().contains("its bare id (anthropic:work)"), e.getMessage());
    assertFalse(e.getMessage().contains("(@@)"), e.getMessage());
    RoutingException named =
        assertThrows(RoutingException.class, () -> ProfileOverride.parse("@anthropic:work"));
    assertTrue(named.getMessage().contains("its bare id (anthropic:work)"), named.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "x:y@"})
  void parse_longGarbage_echoesAtMost80Characters(String unit) {
    String input = unit.repeat(500 / unit.length()) + " tail";
    RoutingException e = assertThrows(RoutingException.class, () -> ProfileOverride.parse(input));
    assertFalse(e.getMessage().contains(unit.repeat(100 / unit.length())), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "20250514",
        "q8_0",
        "q4_k_m",
        "Q5_K_S",
        "4bit",
        "8bit",
        "fp16",
        "bf16",
        "int4",
        "int8",
        "nf4",
        "f32"
      })
  void isModelTag_datesAndQuantizations_true(String tag) {
    assertTrue(ProfileOverride.isModelTag(tag));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2025051", "local:me", "me", "q", "bit", "fp", "work", "example.com"})
  void isModelTag_profilesAndWords_false(String tag) {
    assertFalse(ProfileOverride.isModelTag(tag));
  }

  @org.junit.jupiter.api.Test
  void parse_null_isNoOverride() {
    assertTrue(ProfileOverride.parse(null).isEmpty());
    assertNull(ProfileOverride.parse("").profile());
  }
}
