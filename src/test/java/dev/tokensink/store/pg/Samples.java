package dev.tokensink.store.pg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.AuthState;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProviderId;
import dev.tokensink.model.ReauthMark;
import dev.tokensink.model.Secret;
import dev.tokensink.model.SecretRef;
import dev.tokensink.model.UsageStats;
import dev.tokensink.store.StoreJson;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Profiles of every type, with unknown fields, and a full snapshot, for the PostgreSQL store tests.
 */
final class Samples {
  static final String ACCESS = "sk-ant-oat01-ACCESS-secret-value-1234567890";
  static final String REFRESH = "sk-ant-ort01-REFRESH-secret-value-0987654321";
  static final String API_KEY = "sk-or-v1-APIKEY-secret-value-abcdefabcdef";
  static final String TOKEN = "sk-ant-setup-TOKEN-secret-value-zyxwvu";

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Samples() {}

  static Profile oauth(String id, String access, long expires) {
    ProfileId pid = ProfileId.parse(id);
    return new Profile(
        pid,
        pid.provider(),
        new Credential.OAuth(Secret.of(access), Secret.of(REFRESH), expires, "acct-1", "client-1"),
        "me@example.com",
        "Work",
        Map.of(
            "futureField",
            F.objectNode().put("n", new BigDecimal("1.50")),
            "idToken",
            F.textNode("eyJ-id-token-secret")));
  }

  static Profile apiKey(String id) {
    ProfileId pid = ProfileId.parse(id);
    return new Profile(
        pid,
        pid.provider(),
        new Credential.ApiKey(Secret.of(API_KEY), null, Map.of("tier", "pro")),
        null,
        null,
        Map.of("note", F.textNode("kept")));
  }

  static Profile token(String id) {
    ProfileId pid = ProfileId.parse(id);
    return new Profile(
        pid,
        pid.provider(),
        new Credential.Token(Secret.of(TOKEN), null, 1_900_000_000_000L),
        null,
        null,
        Map.of());
  }

  static Profile refs(String id) {
    ProfileId pid = ProfileId.parse(id);
    return new Profile(
        pid,
        ProviderId.of("openai"),
        new Credential.ApiKey(null, new SecretRef("env", "default", "OPENAI_API_KEY"), Map.of()),
        null,
        null,
        Map.of());
  }

  /** Every profile type, order, runtime state and unknown fields at every level. */
  static AgentSnapshot full(AgentId agent) {
    ProfileId work = ProfileId.parse("anthropic:work");
    JsonNode invalid =
        F.objectNode()
            .set(
                "weird:one",
                F.objectNode()
                    .put("reason", "profile weird:one has unknown type 'future'")
                    .set(
                        "raw",
                        F.objectNode()
                            .put("type", "future")
                            .put("secretish", "INVALID-ENTRY-SECRET")));
    AuthState state =
        AuthState.EMPTY
            .withUsage(work, UsageStats.EMPTY.withLastUsed(1_700_000_000_000L))
            .withReauth(
                ProfileId.parse("openrouter:default"),
                new ReauthMark("invalid_grant", 1_700_000_000_001L))
            .withRefreshInFlight(work, 1_700_000_000_002L)
            .withLastGood("anthropic", work);
    state =
        new AuthState(
            state.lastGood(),
            state.usageStats(),
            state.reauth(),
            state.refreshInFlight(),
            Map.of("stateFuture", F.textNode("kept")));
    return new AgentSnapshot(
            agent,
            Map.of(),
            Map.of("anthropic", List.of(work, ProfileId.parse("anthropic:setup"))),
            state,
            Map.of(
                "topLevelFuture",
                F.arrayNode().add(1).add("x"),
                StoreJson.INVALID_PROFILES,
                invalid))
        .withProfile(oauth("anthropic:work", ACCESS, 1_800_000_000_000L))
        .withProfile(token("anthropic:setup"))
        .withProfile(apiKey("openrouter:default"))
        .withProfile(refs("openai:env-ref"));
  }
}
