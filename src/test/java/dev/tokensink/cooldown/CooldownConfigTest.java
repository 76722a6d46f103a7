package dev.tokensink.cooldown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tokensink.cooldown.*}: defaults, overrides, the OpenClaw preset, and bad values. */
class CooldownConfigTest {

  static CooldownSettings read(Map<String, String> values) {
    return CooldownConfig.read(k -> Optional.ofNullable(values.get(k)));
  }

  @Test
  void noKeys_defaults() {
    CooldownSettings s = read(Map.of());
    assertEquals(CooldownSettings.DEFAULTS, s);
    assertEquals(Duration.ofSeconds(30), s.ladder(FailureReason.RATE_LIMIT).window(1));
    assertEquals(Duration.ofHours(24), s.ladder(FailureReason.RATE_LIMIT).max());
    assertEquals(Duration.ofMinutes(10), s.ladder(FailureReason.BILLING).window(1));
    assertEquals(Duration.ofMinutes(10), s.ladder(FailureReason.AUTH_PERMANENT).window(1));
    assertEquals(Duration.ofHours(1), s.ladder(FailureReason.AUTH_PERMANENT).max());
    assertEquals(Duration.ofMinutes(5), s.probeInterval());
    assertEquals(Duration.ofHours(24), s.failureWindow());
  }

  @Test
  void everyKey_overrides() {
    CooldownSettings s =
        read(
            Map.ofEntries(
                Map.entry("tokensink.cooldown.rate-limit.initial", "2s"),
                Map.entry("tokensink.cooldown.rate-limit.max", "1m"),
                Map.entry("tokensink.cooldown.overloaded.steps", "1s, 2s,9s"),
                Map.entry("tokensink.cooldown.overloaded.max", "9s"),
                Map.entry("tokensink.cooldown.billing.initial", "10s"),
                Map.entry("tokensink.cooldown.auth-permanent.initial", "10s"),
                Map.entry("tokensink.cooldown.auth-permanent.max", "20s"),
                Map.entry("tokensink.cooldown.usage-limit.probe-interval", "3s"),
                Map.entry("tokensink.cooldown.usage-limit.default", "1m"),
                Map.entry("tokensink.cooldown.usage-limit.max", "PT2H"),
                Map.entry("tokensink.cooldown.retry-after.max", "1h"),
                Map.entry("tokensink.cooldown.failure-window", "30m")));
    assertEquals(Duration.ofSeconds(4), s.ladder(FailureReason.RATE_LIMIT).window(2));
    assertEquals(Duration.ofMinutes(1), s.ladder(FailureReason.RATE_LIMIT).window(50));
    assertEquals(
        List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(9)),
        s.ladder(FailureReason.OVERLOADED).steps());
    assertEquals(Duration.ofSeconds(30), s.ladder(FailureReason.AUTH).window(1), "auth untouched");
    assertEquals(Duration.ofSeconds(20), s.ladder(FailureReason.BILLING).window(2));
    assertEquals(Duration.ofSeconds(20), s.ladder(FailureReason.AUTH_PERMANENT).window(9));
    assertEquals(Duration.ofSeconds(3), s.probeInterval());
    assertEquals(Duration.ofMinutes(1), s.usageLimitDefault());
    assertEquals(Duration.ofHours(2), s.usageLimitMax());
    assertEquals(Duration.ofHours(1), s.retryAfterMax());
    assertEquals(Duration.ofMinutes(30), s.failureWindow());
  }

  @Test
  void openclawPreset_oldLadder_keysStillOverride() {
    CooldownSettings s = read(Map.of("tokensink.cooldown.preset", "openclaw"));
    assertEquals(CooldownSettings.OPENCLAW, s);
    assertEquals(Duration.ofMinutes(25), s.ladder(FailureReason.OVERLOADED).window(3));
    assertEquals(Duration.ofHours(5), s.ladder(FailureReason.BILLING).window(1));
    CooldownSettings tuned =
        read(
            Map.of(
                "tokensink.cooldown.preset", "openclaw",
                "tokensink.cooldown.rate-limit.initial", "30s"));
    assertEquals(Duration.ofSeconds(30), tuned.ladder(FailureReason.RATE_LIMIT).window(1));
    assertEquals(Duration.ofMinutes(60), tuned.ladder(FailureReason.RATE_LIMIT).max());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "tokensink.cooldown.rate-limit.initial|-5s|must be a positive duration",
        "tokensink.cooldown.rate-limit.initial|-PT5S|must be a positive duration",
        "tokensink.cooldown.rate-limit.initial|0s|must be a positive duration",
        "tokensink.cooldown.rate-limit.initial|soon|is not a duration",
        "tokensink.cooldown.rate-limit.max|10s|is below tokensink.cooldown.rate-limit.initial",
        "tokensink.cooldown.billing.initial|0|must be a positive duration",
        "tokensink.cooldown.billing.max|5m|is below tokensink.cooldown.billing.initial",
        "tokensink.cooldown.auth-permanent.initial|2h|is below tokensink.cooldown.auth-permanent.initial",
        "tokensink.cooldown.usage-limit.probe-interval|0m|must be a positive duration",
        "tokensink.cooldown.usage-limit.max|30m|is below tokensink.cooldown.usage-limit.default",
        "tokensink.cooldown.failure-window|-1h|must be a positive duration",
        "tokensink.cooldown.retry-after.max|forever|is not a duration",
        "tokensink.cooldown.overloaded.steps|30s,10s|must not get shorter",
        "tokensink.cooldown.overloaded.steps|30s,,60s|is not a duration",
        "tokensink.cooldown.auth.max|10s|is below tokensink.cooldown.auth.steps",
        "tokensink.cooldown.preset|openclaw2|must be tokensink or openclaw",
      })
  void badValue_refusedNamingTheKey(String key, String value, String expected) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> read(Map.of(key, value)));
    assertTrue(e.getMessage().contains(key), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void initialAndSteps_both_refused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                read(
                    Map.of(
                        "tokensink.cooldown.auth.initial", "1s",
                        "tokensink.cooldown.auth.steps", "1s,2s")));
    assertTrue(e.getMessage().contains("tokensink.cooldown.auth.initial"), e.getMessage());
  }

  @Test
  void keys_listEveryKeyOnce() {
    List<String> keys = CooldownConfig.keys();
    assertEquals(keys.size(), keys.stream().distinct().count());
    assertTrue(keys.contains("tokensink.cooldown.rate-limit.initial"));
    assertTrue(keys.contains("tokensink.cooldown.usage-limit.probe-interval"));
    assertTrue(keys.contains("tokensink.cooldown.failure-window"));
  }
}
