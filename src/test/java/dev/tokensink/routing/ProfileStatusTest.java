package dev.tokensink.routing;

import static dev.tokensink.routing.Snapshots.NOW;
import static dev.tokensink.routing.Snapshots.Y2100;
import static dev.tokensink.routing.Snapshots.apiKey;
import static dev.tokensink.routing.Snapshots.cooldown;
import static dev.tokensink.routing.Snapshots.disabled;
import static dev.tokensink.routing.Snapshots.id;
import static dev.tokensink.routing.Snapshots.oauth;
import static dev.tokensink.routing.Snapshots.token;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokensink.model.AuthState;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProviderId;
import dev.tokensink.model.ReauthMark;
import dev.tokensink.model.Secret;
import dev.tokensink.routing.ProfileStatus.Kind;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProfileStatusTest {
  static final long HOUR = Duration.ofHours(1).toMillis();

  static AuthState state(Profile p, dev.tokensink.model.UsageStats u) {
    return AuthState.EMPTY.withUsage(p.id(), u);
  }

  static Stream<Arguments> statuses() {
    Profile key = apiKey("anthropic:k", "sk-ant-api03-k");
    Profile oa = oauth("openai-codex:a", "r", NOW + HOUR);
    Profile noRefresh = oauth("openai-codex:b", null, NOW + HOUR);
    return Stream.of(
        // name, profile, state, secretAvailable, kind
        Arguments.of("api key", key, AuthState.EMPTY, true, Kind.STATIC),
        Arguments.of("api key unresolvable ref", key, AuthState.EMPTY, false, Kind.MISSING),
        Arguments.of(
            "blank api key", apiKey("anthropic:b", " "), AuthState.EMPTY, true, Kind.MISSING),
        Arguments.of("oauth fresh", oa, AuthState.EMPTY, true, Kind.OK),
        Arguments.of(
            "oauth past expiry with refresh is ok",
            oauth("openai-codex:a", "r", NOW - HOUR),
            AuthState.EMPTY,
            true,
            Kind.OK),
        Arguments.of(
            "oauth past expiry without refresh",
            oauth("openai-codex:b", null, NOW - 1),
            AuthState.EMPTY,
            true,
            Kind.EXPIRED),
        Arguments.of(
            "oauth without refresh, 1 h left", noRefresh, AuthState.EMPTY, true, Kind.EXPIRING),
        Arguments.of(
            "oauth dead refresh token",
            oa,
            AuthState.EMPTY.withReauth(oa.id(), new ReauthMark("invalid_grant", NOW)),
            true,
            Kind.REAUTH_REQUIRED),
        Arguments.of(
            "imported refresh-fence marker: no access token, reauth mark",
            Profile.of(
                id("openai-codex:f"), new Credential.OAuth(Secret.of(""), null, 1L, "acct", null)),
            AuthState.EMPTY.withReauth(
                id("openai-codex:f"), new ReauthMark("refresh failed in OpenClaw", NOW)),
            true,
            Kind.REAUTH_REQUIRED),
        Arguments.of(
            "token without expiry",
            token("anthropic:t", "t", null),
            AuthState.EMPTY,
            true,
            Kind.OK),
        Arguments.of(
            "token 23 h left",
            token("anthropic:t", "t", NOW + 23 * HOUR),
            AuthState.EMPTY,
            true,
            Kind.EXPIRING),
        Arguments.of(
            "token 25 h left",
            token("anthropic:t", "t", NOW + 25 * HOUR),
            AuthState.EMPTY,
            true,
            Kind.OK),
        Arguments.of(
            "token expired",
            token("custom:expired", "t", 1000L),
            AuthState.EMPTY,
            true,
            Kind.EXPIRED),
        Arguments.of(
            "key in cooldown",
            key,
            state(key, cooldown(NOW + HOUR, "rate_limit", null)),
            true,
            Kind.COOLDOWN),
        Arguments.of(
            "key in model cooldown",
            key,
            state(key, cooldown(NOW + HOUR, "rate_limit", "opus")),
            true,
            Kind.COOLDOWN),
        Arguments.of(
            "key cooldown over",
            key,
            state(key, cooldown(NOW - 1, "rate_limit", null)),
            true,
            Kind.STATIC),
        Arguments.of(
            "key disabled",
            key,
            state(key, disabled(NOW + HOUR, "billing", null)),
            true,
            Kind.DISABLED),
        Arguments.of(
            "expiring beats cooldown",
            token("anthropic:t", "t", NOW + HOUR),
            AuthState.EMPTY.withUsage(id("anthropic:t"), cooldown(NOW + HOUR, "rate_limit", null)),
            true,
            Kind.EXPIRING));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("statuses")
  void of_profileAndState_mostUrgentKind(
      String name, Profile p, AuthState state, boolean secret, Kind kind) {
    assertEquals(kind, ProfileStatus.of(p, state, NOW, secret).kind());
  }

  @Test
  void of_blockedProfile_reportsWindowEnd() {
    Profile key = apiKey("anthropic:k", "sk-ant-api03-k");
    ProfileStatus s =
        ProfileStatus.of(key, state(key, disabled(Y2100, "billing", null)), NOW, true);
    assertEquals(Y2100, s.blockedUntilMs());
    assertEquals("billing", s.detail());
    assertEquals("disabled", s.kind().json());
  }

  static ProfileStatus st(Kind k) {
    return new ProfileStatus(id("anthropic:x"), k, null, null, null);
  }

  static Stream<Arguments> exitCodes() {
    ProviderId google = ProviderId.of("google");
    return Stream.of(
        Arguments.of(List.of(), List.of(), 0),
        Arguments.of(
            List.of(st(Kind.OK), st(Kind.STATIC), st(Kind.COOLDOWN), st(Kind.DISABLED)),
            List.of(),
            0),
        Arguments.of(List.of(st(Kind.OK), st(Kind.EXPIRING)), List.of(), 2),
        Arguments.of(List.of(st(Kind.EXPIRING), st(Kind.EXPIRED)), List.of(), 1),
        Arguments.of(List.of(st(Kind.MISSING)), List.of(), 1),
        Arguments.of(List.of(st(Kind.REAUTH_REQUIRED)), List.of(), 1),
        Arguments.of(List.of(st(Kind.OK), st(Kind.EXPIRING)), List.of(google), 1));
  }

  @ParameterizedTest
  @MethodSource("exitCodes")
  void exitCode_statusesAndUncoveredProviders_checkResult(
      List<ProfileStatus> statuses, List<ProviderId> uncovered, int code) {
    assertEquals(code, StatusCheck.exitCode(statuses, uncovered));
  }

  @Test
  void exitCode_fixtureAgents_workFailsMainPasses() {
    List<ProfileStatus> main =
        Snapshots.main().profiles().values().stream()
            .map(p -> ProfileStatus.of(p, Snapshots.main().state(), NOW, true))
            .toList();
    List<ProfileStatus> work =
        Snapshots.work().profiles().values().stream()
            .map(p -> ProfileStatus.of(p, Snapshots.work().state(), NOW, true))
            .toList();
    assertEquals(0, StatusCheck.exitCode(main, List.of()));
    assertEquals(1, StatusCheck.exitCode(work, List.of()));
  }
}
