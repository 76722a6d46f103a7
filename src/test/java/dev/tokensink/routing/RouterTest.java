package dev.tokensink.routing;

import static dev.tokensink.routing.RoutingException.Kind.FAILED_PRECONDITION;
import static dev.tokensink.routing.RoutingException.Kind.INVALID_ARGUMENT;
import static dev.tokensink.routing.RoutingException.Kind.NOT_FOUND;
import static dev.tokensink.routing.RoutingException.Kind.UNAVAILABLE;
import static dev.tokensink.routing.Snapshots.NOW;
import static dev.tokensink.routing.Snapshots.Y2100;
import static dev.tokensink.routing.Snapshots.apiKey;
import static dev.tokensink.routing.Snapshots.cooldown;
import static dev.tokensink.routing.Snapshots.disabled;
import static dev.tokensink.routing.Snapshots.id;
import static dev.tokensink.routing.Snapshots.lastUsed;
import static dev.tokensink.routing.Snapshots.main;
import static dev.tokensink.routing.Snapshots.oauth;
import static dev.tokensink.routing.Snapshots.snapshot;
import static dev.tokensink.routing.Snapshots.token;
import static dev.tokensink.routing.Snapshots.withReauth;
import static dev.tokensink.routing.Snapshots.withUsage;
import static dev.tokensink.routing.Snapshots.work;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProviderId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RouterTest {
  static final Router ROUTER =
      new Router(
          CredentialCheck.STANDARD,
          p -> Set.of("openai-codex", "anthropic", "google").contains(p.value()));
  static final Profile OPENAI_ENV = apiKey("openai:env", "sk-FIXTURE-dotenv-openai");
  static final long SOON = NOW + 60_000;
  static final long LATER = NOW + 600_000;

  static RouteRequest req(AgentSnapshot s, String provider) {
    return RouteRequest.of(s, ProviderId.of(provider), NOW);
  }

  static RouteRequest req(AgentSnapshot s, String provider, String override) {
    return req(s, provider).withOverride(ProfileOverride.parse(override));
  }

  /** Three anthropic profiles, one of each type, with no order. */
  static AgentSnapshot three() {
    return snapshot(
        "main",
        apiKey("anthropic:key", "sk-ant-api03-k"),
        token("anthropic:tok", "sk-ant-oat01-t", null),
        oauth("anthropic:oa", "r", Y2100));
  }

  /**
   * {@code anthropic:x} whose credential says {@code openai-codex}: the credential's field decides.
   */
  static AgentSnapshot misfiled() {
    Profile p = apiKey("anthropic:x", "k");
    return snapshot(
        "main",
        new Profile(p.id(), ProviderId.of("openai-codex"), p.credential(), null, null, null));
  }

  static Stream<Arguments> chosen() {
    AgentSnapshot three = three();
    AgentSnapshot modelCooled =
        withUsage(three, "anthropic:oa", cooldown(LATER, "rate_limit", "opus"));
    return Stream.of(
        // name, request, expected profile, expected source
        Arguments.of(
            "fixture main/anthropic: agent order",
            req(main(), "anthropic"),
            "anthropic:work",
            Source.AGENT_ORDER),
        Arguments.of(
            "fixture main/anthropic x@anthropic:default",
            req(main(), "anthropic", "x@anthropic:default"),
            "anthropic:default",
            Source.OVERRIDE),
        Arguments.of(
            "fixture main/openai-codex",
            req(main(), "openai-codex"),
            "openai-codex:me@example.com",
            Source.DEFAULT),
        Arguments.of(
            "fixture main/openrouter: team cooled till 2100",
            req(main(), "openrouter"),
            "openrouter:default",
            Source.DEFAULT),
        Arguments.of(
            "fixture main/openai: env",
            req(main(), "openai").withEnv(OPENAI_ENV),
            "openai:env",
            Source.ENV),
        Arguments.of(
            "fixture work/anthropic: billing long expired",
            req(work(), "anthropic"),
            "anthropic:default",
            Source.AGENT_ORDER),
        Arguments.of(
            "override /model command",
            req(main(), "anthropic", "/model Opus@anthropic:default"),
            "anthropic:default",
            Source.OVERRIDE),
        Arguments.of(
            "override model only keeps routing",
            req(main(), "anthropic", "Opus"),
            "anthropic:work",
            Source.AGENT_ORDER),
        Arguments.of(
            "override pins env pseudo-profile",
            req(main(), "openai", "openai:env").withEnv(OPENAI_ENV),
            "openai:env",
            Source.OVERRIDE),
        Arguments.of(
            "sticky usable wins over order",
            req(main(), "anthropic").withSticky(id("anthropic:default")),
            "anthropic:default",
            Source.SESSION),
        Arguments.of(
            "sticky in cooldown falls through",
            req(main(), "openrouter").withSticky(id("openrouter:team")),
            "openrouter:default",
            Source.DEFAULT),
        Arguments.of(
            "sticky vanished falls through",
            req(main(), "anthropic").withSticky(id("anthropic:gone")),
            "anthropic:work",
            Source.AGENT_ORDER),
        Arguments.of(
            "sticky of another provider ignored",
            req(main(), "anthropic").withSticky(id("openrouter:default")),
            "anthropic:work",
            Source.AGENT_ORDER),
        Arguments.of(
            "override bare email profile id",
            req(main(), "openai-codex", "openai-codex:me@example.com"),
            "openai-codex:me@example.com",
            Source.OVERRIDE),
        Arguments.of(
            "override beats sticky",
            req(main(), "anthropic", "anthropic:default").withSticky(id("anthropic:work")),
            "anthropic:default",
            Source.OVERRIDE),
        Arguments.of(
            "config order used without agent order",
            req(three, "anthropic")
                .withConfiguredOrder(Map.of("anthropic", List.of("anthropic:key", "anthropic:oa"))),
            "anthropic:key",
            Source.CONFIG_ORDER),
        Arguments.of(
            "agent order beats config order",
            req(main(), "anthropic")
                .withConfiguredOrder(Map.of("anthropic", List.of("anthropic:default"))),
            "anthropic:work",
            Source.AGENT_ORDER),
        Arguments.of(
            "config order: ghosts, other provider, malformed ignored",
            req(three, "anthropic")
                .withConfiguredOrder(
                    Map.of(
                        "anthropic",
                        List.of(
                            "anthropic:ghost", "openrouter:default", "bad id", "anthropic:tok"))),
            "anthropic:tok",
            Source.CONFIG_ORDER),
        Arguments.of(
            "config order of only ghosts counts as empty",
            req(three, "anthropic")
                .withConfiguredOrder(Map.of("anthropic", List.of("anthropic:ghost"))),
            "anthropic:oa",
            Source.DEFAULT),
        Arguments.of(
            "explicit order skips cooled first entry",
            req(
                withUsage(main(), "anthropic:work", cooldown(SOON, "rate_limit", null)),
                "anthropic"),
            "anthropic:default",
            Source.AGENT_ORDER),
        Arguments.of(
            "explicit order skips reauth first entry",
            req(withReauth(three, "anthropic:oa"), "anthropic")
                .withConfiguredOrder(Map.of("anthropic", List.of("anthropic:oa", "anthropic:key"))),
            "anthropic:key",
            Source.CONFIG_ORDER),
        Arguments.of(
            "explicit order may name env",
            req(main(), "openai")
                .withEnv(OPENAI_ENV)
                .withConfiguredOrder(Map.of("openai", List.of("openai:env"))),
            "openai:env",
            Source.CONFIG_ORDER),
        Arguments.of(
            "default sort: oauth first", req(three, "anthropic"), "anthropic:oa", Source.DEFAULT),
        Arguments.of(
            "default sort: token after oauth",
            req(withReauth(three, "anthropic:oa"), "anthropic"),
            "anthropic:tok",
            Source.DEFAULT),
        Arguments.of(
            "default sort: least recently used first, never used first",
            req(
                withUsage(
                    snapshot(
                        "main",
                        apiKey("anthropic:a", "k1"),
                        apiKey("anthropic:b", "k2"),
                        apiKey("anthropic:c", "k3")),
                    "anthropic:a",
                    lastUsed(5)),
                "anthropic"),
            "anthropic:b",
            Source.DEFAULT),
        Arguments.of(
            "default sort: older lastUsed first",
            req(
                withUsage(
                    withUsage(
                        snapshot("main", apiKey("anthropic:a", "k1"), apiKey("anthropic:b", "k2")),
                        "anthropic:a",
                        lastUsed(9)),
                    "anthropic:b",
                    lastUsed(3)),
                "anthropic"),
            "anthropic:b",
            Source.DEFAULT),
        Arguments.of(
            "env is the last fallback",
            req(
                    withUsage(
                        snapshot("main", apiKey("openai:team", "k")),
                        "openai:team",
                        cooldown(SOON, "rate_limit", null)),
                    "openai")
                .withEnv(OPENAI_ENV),
            "openai:env",
            Source.ENV),
        Arguments.of(
            "model cooldown: other model served",
            req(modelCooled, "anthropic").withModel("sonnet"),
            "anthropic:oa",
            Source.DEFAULT),
        Arguments.of(
            "model cooldown: no model served",
            req(modelCooled, "anthropic"),
            "anthropic:oa",
            Source.DEFAULT),
        Arguments.of(
            "model cooldown: same model skipped",
            req(modelCooled, "anthropic").withModel("opus"),
            "anthropic:tok",
            Source.DEFAULT),
        Arguments.of(
            "model cooldown: override model counts",
            req(modelCooled, "anthropic", "OPUS"),
            "anthropic:tok",
            Source.DEFAULT),
        Arguments.of(
            "model cooldown: pinned for other model",
            req(modelCooled, "anthropic", "sonnet@anthropic:oa").withModel("opus"),
            "anthropic:oa",
            Source.OVERRIDE),
        Arguments.of(
            "misfiled profile serves the provider its credential names",
            req(misfiled(), "openai-codex"),
            "anthropic:x",
            Source.DEFAULT),
        Arguments.of(
            "oauth past expiry with refresh token is routable",
            req(snapshot("main", oauth("openai-codex:a", "r", NOW - 1000)), "openai-codex"),
            "openai-codex:a",
            Source.DEFAULT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chosen")
  void choose_servableRequest_picksExpectedProfile(
      String name, RouteRequest r, String profile, Source source) {
    Choice c = ROUTER.choose(r);
    assertEquals(profile, c.profile().id().toString());
    assertEquals(source, c.source());
  }

  static Stream<Arguments> refused() {
    AgentSnapshot three = three();
    return Stream.of(
        // name, request, kind, message fragment
        Arguments.of(
            "fixture main/openrouter pinned team",
            req(main(), "openrouter", "openrouter:team"),
            UNAVAILABLE,
            "until 2100-01-01T00:00:00Z"),
        Arguments.of(
            "fixture override of another provider",
            req(main(), "anthropic", "x@openai-codex:me@example.com"),
            INVALID_ARGUMENT,
            "profile openai-codex:me@example.com is for provider openai-codex, not anthropic"),
        Arguments.of(
            "override of a profile whose credential names another provider",
            req(misfiled(), "anthropic", "anthropic:x"),
            INVALID_ARGUMENT,
            "profile anthropic:x is for provider openai-codex, not anthropic"),
        Arguments.of(
            "misfiled profile is no candidate of its id's provider",
            req(misfiled(), "anthropic"),
            NOT_FOUND,
            "No credentials found for provider anthropic"),
        Arguments.of(
            "override of another provider, unknown id",
            req(main(), "anthropic", "openai:nope"),
            INVALID_ARGUMENT,
            "is for provider openai, not anthropic"),
        Arguments.of(
            "fixture work/custom expired pasted token",
            req(work(), "custom"),
            FAILED_PRECONDITION,
            "paste a new token: tokensink models auth paste-token --provider custom --agent work"),
        Arguments.of(
            "override unknown profile lists existing",
            req(main(), "anthropic", "x@anthropic:ghost"),
            NOT_FOUND,
            "profile anthropic:ghost not found in agent main; profiles for anthropic: anthropic:default, anthropic:work"),
        Arguments.of(
            "no credentials, login provider",
            req(main(), "google"),
            NOT_FOUND,
            "No credentials found for provider google in agent main; run `tokensink models auth login --provider google --agent main`"),
        Arguments.of(
            "no credentials, key-only provider",
            req(main(), "groq"),
            NOT_FOUND,
            "run `tokensink models auth add-key --provider groq --agent main`"),
        Arguments.of(
            "all cooling: soonest named",
            req(
                    withUsage(
                        withUsage(three(), "anthropic:oa", cooldown(LATER, "rate_limit", null)),
                        "anthropic:key",
                        disabled(SOON, "billing", null)),
                    "anthropic")
                .withConfiguredOrder(Map.of("anthropic", List.of("anthropic:oa", "anthropic:key"))),
            UNAVAILABLE,
            "anthropic:key, is blocked (billing) until 2026-11-23T18:01:00Z"),
        Arguments.of(
            "only reauth candidates",
            req(
                withReauth(snapshot("main", oauth("openai-codex:a", "r", Y2100)), "openai-codex:a"),
                "openai-codex"),
            FAILED_PRECONDITION,
            "re-login required: run tokensink models auth login --provider openai-codex --agent main"),
        Arguments.of(
            "oauth expired without refresh token needs login",
            req(snapshot("main", oauth("openai-codex:a", null, NOW - 1)), "openai-codex"),
            FAILED_PRECONDITION,
            "re-login required"),
        Arguments.of(
            "reauth plus cooling: unavailable wins",
            req(
                    withUsage(
                        withReauth(three, "anthropic:oa"),
                        "anthropic:tok",
                        cooldown(SOON, "overloaded", null)),
                    "anthropic")
                .withConfiguredOrder(Map.of("anthropic", List.of("anthropic:oa", "anthropic:tok"))),
            UNAVAILABLE,
            "anthropic:tok, is blocked (overloaded)"),
        Arguments.of(
            "pinned reauth profile: no rotation",
            req(withReauth(three, "anthropic:oa"), "anthropic", "anthropic:oa"),
            FAILED_PRECONDITION,
            "re-login required"),
        Arguments.of(
            "pinned model-cooled for same model",
            req(
                withUsage(three, "anthropic:oa", cooldown(LATER, "rate_limit", "opus")),
                "anthropic",
                "opus@anthropic:oa"),
            UNAVAILABLE,
            "pinned by the override"),
        Arguments.of(
            "pinned token expiring inside margin",
            req(snapshot("main", token("custom:t", "tok", NOW + 10_000)), "custom", "custom:t"),
            FAILED_PRECONDITION,
            "paste a new token"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void choose_unservableRequest_failsWithStatusAndNextStep(
      String name, RouteRequest r, RoutingException.Kind kind, String fragment) {
    RoutingException e = assertThrows(RoutingException.class, () -> ROUTER.choose(r));
    assertEquals(kind, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void choose_pinnedProfileInCooldown_unavailableWithTime() {
    RoutingException e =
        assertThrows(
            RoutingException.class,
            () -> ROUTER.choose(req(main(), "openrouter", "openrouter:team")));
    assertEquals(Y2100, e.retryAtMs());
  }

  @Test
  void choose_explicitOrder_movesUnusableToEndSoonestFirst() {
    AgentSnapshot s =
        withUsage(
            withUsage(
                withReauth(three(), "anthropic:oa"),
                "anthropic:tok",
                cooldown(LATER, "rate_limit", null)),
            "anthropic:key",
            cooldown(SOON, "rate_limit", null));
    s = s.withState(s.state().withUsage(id("anthropic:b"), null));
    AgentSnapshot withFourth = s.withProfile(apiKey("anthropic:b", "kb"));
    Choice c =
        ROUTER.choose(
            req(withFourth, "anthropic")
                .withConfiguredOrder(
                    Map.of(
                        "anthropic",
                        List.of("anthropic:oa", "anthropic:tok", "anthropic:key", "anthropic:b"))));
    assertEquals(
        List.of(id("anthropic:b"), id("anthropic:key"), id("anthropic:tok"), id("anthropic:oa")),
        c.candidates());
  }

  @Test
  void choose_usageLimitProbeDue_servesAsProbe() {
    AgentSnapshot s =
        withUsage(
            snapshot("main", apiKey("anthropic:a", "k")),
            "anthropic:a",
            disabled(LATER, "usage_limit", NOW - 1));
    Choice c = ROUTER.choose(req(s, "anthropic"));
    assertTrue(c.probe());
  }

  @Test
  void choose_usageLimitProbeNotDue_unavailableUntilProbe() {
    AgentSnapshot s =
        withUsage(
            snapshot("main", apiKey("anthropic:a", "k")),
            "anthropic:a",
            disabled(LATER, "usage_limit", SOON));
    RoutingException e =
        assertThrows(RoutingException.class, () -> ROUTER.choose(req(s, "anthropic")));
    assertEquals(SOON, e.retryAtMs());
  }

  @Test
  void choose_overrideModel_returnedForCredential() {
    assertEquals(
        "x", ROUTER.choose(req(main(), "anthropic", "x@anthropic:default")).overrideModel());
  }
}
