package dev.tokensink.routing;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.AuthState;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ReauthMark;
import dev.tokensink.model.Secret;
import dev.tokensink.model.UsageStats;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Agent snapshots for routing tests, built in memory with the semantics of the {@code
 * openclaw-agents} fixture (src/test/fixtures/README.md); no files.
 */
final class Snapshots {
  static final long NOW = Instant.parse("2026-11-23T18:00:00Z").toEpochMilli();
  static final long Y2100 = 4102444800000L;

  private Snapshots() {}

  static ProfileId id(String text) {
    return ProfileId.parse(text);
  }

  static Profile apiKey(String id, String key) {
    return Profile.of(id(id), new Credential.ApiKey(Secret.of(key), null, null));
  }

  static Profile token(String id, String token, Long expires) {
    return Profile.of(id(id), new Credential.Token(Secret.of(token), null, expires));
  }

  static Profile oauth(String id, String refresh, long expires) {
    return Profile.of(
        id(id),
        new Credential.OAuth(
            Secret.of("FIXTURE-access-" + id), Secret.ofNullable(refresh), expires, "acct", null));
  }

  static UsageStats cooldown(long until, String reason, String model) {
    return new UsageStats(
        null, until, reason, model, null, null, 1, Map.of(reason, 1), NOW - 1000, null, null);
  }

  static UsageStats disabled(long until, String reason, Long probeAfter) {
    return new UsageStats(
        null, null, null, null, until, reason, 1, Map.of(reason, 1), NOW - 1000, probeAfter, null);
  }

  static UsageStats lastUsed(long at) {
    return UsageStats.EMPTY.withLastUsed(at);
  }

  /** Agent {@code main}: single-file layout, openrouter:team cooled down until 2100. */
  static AgentSnapshot main() {
    AgentSnapshot s =
        snapshot(
            "main",
            apiKey("anthropic:default", "sk-ant-api03-FIXTURE-main-default-key-0000000000"),
            token("anthropic:work", "sk-ant-oat01-FIXTURE-main-work-setup-token", null),
            oauth("openai-codex:me@example.com", "FIXTURE-refresh-main-codex", Y2100),
            apiKey("openrouter:default", "sk-or-v1-FIXTURE-legacy-field-apiKey"),
            apiKey("openrouter:team", "sk-or-v1-FIXTURE-team"));
    AuthState state =
        s.state()
            .withUsage(
                id("openrouter:team"),
                new UsageStats(
                    1795000000000L,
                    Y2100,
                    "rate_limit",
                    null,
                    null,
                    null,
                    2,
                    Map.of("rate_limit", 2),
                    1795000000000L,
                    null,
                    null))
            .withUsage(id("openrouter:default"), lastUsed(1));
    return s.withOrder("anthropic", List.of(id("anthropic:work"), id("anthropic:default")))
        .withState(state);
  }

  /** Agent {@code work}: split layout; billing disable long expired; one expired pasted token. */
  static AgentSnapshot work() {
    AgentSnapshot s =
        snapshot(
            "work",
            apiKey("anthropic:default", "sk-ant-api03-FIXTURE-work-default-key-0000000000"),
            token("custom:expired", "FIXTURE-expired-token", 1000L));
    AuthState state =
        s.state()
            .withUsage(
                id("anthropic:default"),
                new UsageStats(
                    1795000000000L,
                    null,
                    null,
                    null,
                    1000L,
                    "billing",
                    1,
                    Map.of("billing", 1),
                    900L,
                    null,
                    null));
    return s.withOrder("anthropic", List.of(id("anthropic:default"))).withState(state);
  }

  static AgentSnapshot snapshot(String agent, Profile... profiles) {
    Map<ProfileId, Profile> map = new LinkedHashMap<>();
    Arrays.stream(profiles).forEach(p -> map.put(p.id(), p));
    return new AgentSnapshot(AgentId.of(agent), map, Map.of(), AuthState.EMPTY, Map.of());
  }

  static AgentSnapshot withUsage(AgentSnapshot s, String id, UsageStats u) {
    return s.withState(s.state().withUsage(id(id), u));
  }

  static AgentSnapshot withReauth(AgentSnapshot s, String id) {
    return s.withState(s.state().withReauth(id(id), new ReauthMark("invalid_grant", NOW - 5000)));
  }
}
