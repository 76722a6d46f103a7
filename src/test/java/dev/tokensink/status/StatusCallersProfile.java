package dev.tokensink.status;

import static dev.tokensink.status.StatusSeed.apiKey;
import static dev.tokensink.status.StatusSeed.oauth;
import static dev.tokensink.status.StatusSeed.token;

import dev.tokensink.security.Callers;
import dev.tokensink.testing.Secrets;
import dev.tokensink.testing.TestProducers;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A service with three agents and three callers: {@code ops-alpha} may see agent alpha, {@code
 * ops-beta} agent beta, {@code ops-all} every agent.
 */
public class StatusCallersProfile implements QuarkusTestProfile {
  static final String TOKEN_ALPHA = "tsk_status_alpha_5c1e0a9d77b24e31";
  static final String TOKEN_BETA = "tsk_status_beta_9d0b3f18c2a64e70";
  static final String TOKEN_ALL = "tsk_status_all_1a7e44c09b3d5f82";

  static final String ALPHA_KEY = "sk-ant-api03-STATUS-alpha-key-7d41c0e2b9";
  static final String ALPHA_ACCESS = "at-STATUS-alpha-oauth-access-55e0c1d3";
  static final String ALPHA_REFRESH = "rt-STATUS-alpha-oauth-refresh-9b2f6a10";
  static final String BETA_KEY = "sk-or-v1-STATUS-beta-key-04a8b2e6d1c3";
  static final String BETA_TOKEN = "tok-STATUS-beta-expired-token-3f9c0d21";
  static final String GAMMA_KEY = "sk-STATUS-gamma-key-8c2d4e6f0a1b3c5d";

  private static Path stateDir;

  static {
    Secrets.register(TOKEN_ALPHA, TOKEN_BETA, TOKEN_ALL);
  }

  static synchronized Path stateDir() {
    if (stateDir == null) {
      try {
        stateDir = Files.createTempDirectory("tokensink-status-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      long now = TestProducers.CLOCK.millis();
      StatusSeed.agent(
          stateDir,
          TestProducers.CLOCK,
          "alpha",
          List.of(
              apiKey("anthropic:default", ALPHA_KEY),
              oauth(
                  "openai-codex:me@example.com",
                  ALPHA_ACCESS,
                  ALPHA_REFRESH,
                  now + 3_600_000,
                  "acct-alpha")),
          StatusSeed.cooldown("anthropic:default", now + 600_000, "rate_limit", "claude-opus")
                  .andThen(StatusSeed.order("anthropic", "anthropic:default"))
              ::apply);
      StatusSeed.agent(
          stateDir,
          TestProducers.CLOCK,
          "beta",
          List.of(
              apiKey("openrouter:default", BETA_KEY), token("custom:expired", BETA_TOKEN, 1000L)),
          UnaryOperator.identity());
      StatusSeed.agent(
          stateDir,
          TestProducers.CLOCK,
          "gamma",
          List.of(apiKey("openai:default", GAMMA_KEY)),
          StatusSeed.disabled("openai:default", now + 3_600_000, "billing"));
    }
    return stateDir;
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "tokensink.state-dir",
        stateDir().toString(),
        "tokensink.callers.ops-alpha.token-sha256",
        Callers.sha256Hex(TOKEN_ALPHA),
        "tokensink.callers.ops-alpha.agents",
        "alpha",
        "tokensink.callers.ops-beta.token-sha256",
        Callers.sha256Hex(TOKEN_BETA),
        "tokensink.callers.ops-beta.agents",
        "beta",
        "tokensink.callers.ops-all.token-sha256",
        Callers.sha256Hex(TOKEN_ALL),
        "tokensink.callers.ops-all.agents",
        "*",
        "tokensink.jobs.interval",
        "1h");
  }
}
