package dev.tokensink.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.api.v1.Credential;
import dev.tokensink.api.v1.CredentialBrokerGrpc;
import dev.tokensink.api.v1.CredentialType;
import dev.tokensink.api.v1.GetCredentialRequest;
import dev.tokensink.config.Settings;
import dev.tokensink.testing.OpenClawAgentsProfile;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The results fixtures/README.md lists for the openclaw-agents state dir, through the real gRPC
 * client.
 */
@QuarkusTest
@TestProfile(OpenClawAgentsProfile.class)
class FixtureGetCredentialTest {

  @Inject Settings settings;

  @GrpcClient("broker")
  CredentialBrokerGrpc.CredentialBrokerBlockingStub broker;

  private Credential get(String agent, String provider, String override) {
    return broker.getCredential(
        GetCredentialRequest.newBuilder()
            .setAgent(agent)
            .setProvider(provider)
            .setProfileOverride(override)
            .build());
  }

  private Status.Code failure(String agent, String provider, String override) {
    return assertThrows(StatusRuntimeException.class, () -> get(agent, provider, override))
        .getStatus()
        .getCode();
  }

  @Test
  void main_anthropic_agentOrderPicksSetupToken() {
    Credential c = get("main", "anthropic", "");
    assertEquals("anthropic:work", c.getProfileId());
    assertEquals(CredentialType.TOKEN, c.getType());
    assertTrue(c.getSecret().startsWith("sk-ant-oat01-FIXTURE-main-work"));
    assertFalse(c.hasExpiresAt());
  }

  @Test
  void main_anthropic_overrideWithModel() {
    Credential c = get("main", "anthropic", "x@anthropic:default");
    assertEquals("anthropic:default", c.getProfileId());
    assertEquals(CredentialType.API_KEY, c.getType());
    assertTrue(c.getSecret().startsWith("sk-ant-api03-FIXTURE-main-default-key-"));
    assertEquals("x", c.getModel());
  }

  @Test
  void main_codex_oauthWithAccount() {
    Credential c = get("main", "openai-codex", "");
    assertEquals("openai-codex:me@example.com", c.getProfileId());
    assertEquals(CredentialType.OAUTH, c.getType());
    assertEquals("FIXTURE-access-main-codex", c.getSecret());
    assertEquals("acct-fixture-1", c.getAccountId());
    assertEquals(
        Instant.parse("2100-01-01T00:00:00Z").getEpochSecond(), c.getExpiresAt().getSeconds());
  }

  @Test
  void main_openrouter_skipsCooledDownTeamAndReadsLegacyApiKeyField() {
    Credential c = get("main", "openrouter", "");
    assertEquals("openrouter:default", c.getProfileId());
    assertEquals("sk-or-v1-FIXTURE-legacy-field-apiKey", c.getSecret());
  }

  @Test
  void main_openrouter_pinnedCooledDownProfileIsUnavailableWithTime() {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class, () -> get("main", "openrouter", "openrouter:team"));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    assertTrue(
        e.getStatus().getDescription().contains("2100-01-01"), e.getStatus().getDescription());
  }

  @Test
  void main_openai_fromStateDirDotEnv() {
    Credential c = get("main", "openai", "");
    assertEquals("openai:env", c.getProfileId());
    assertEquals(CredentialType.API_KEY, c.getType());
    assertEquals("sk-FIXTURE-dotenv-openai", c.getSecret());
  }

  @Test
  void main_overrideOfAnotherProvider_invalidArgument() {
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        failure("main", "anthropic", "x@openai-codex:me@example.com"));
  }

  @Test
  void work_anthropic_expiredBillingDisableIsIgnored() {
    Credential c = get("work", "anthropic", "");
    assertEquals("anthropic:default", c.getProfileId());
    assertTrue(c.getSecret().startsWith("sk-ant-api03-FIXTURE-work-default-key-"));
  }

  @Test
  void work_custom_onlyExpiredPastedToken_failedPreconditionSaysPaste() {
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> get("work", "custom", ""));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("paste"), e.getStatus().getDescription());
  }

  @Test
  void legacy_flatAuthJsonImportedOnFirstUse() {
    Credential c = get("legacy", "anthropic", "");
    assertEquals("anthropic:default", c.getProfileId());
    assertEquals("sk-ant-api03-FIXTURE-legacy-flat-auth-json", c.getSecret());
    Credential codex = get("legacy", "openai-codex", "");
    assertEquals("openai-codex:default", codex.getProfileId());
    assertEquals(CredentialType.OAUTH, codex.getType());
    assertEquals("FIXTURE-access-legacy", codex.getSecret());
    var dir = settings.stateDir().resolve("agents/legacy/agent");
    assertTrue(Files.exists(dir.resolve("auth-profiles.json")));
  }

  @Test
  void ghost_unknownAgent_notFound() {
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> get("ghost", "anthropic", ""));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertTrue(
        e.getStatus().getDescription().contains("agents add ghost"),
        e.getStatus().getDescription());
  }

  @Test
  void noCredentialsForProvider_notFoundNamesTheCommand() {
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> get("work", "mistral", ""));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertTrue(
        e.getStatus()
            .getDescription()
            .contains("No credentials found for provider mistral in agent work"),
        e.getStatus().getDescription());
  }

  @Test
  void malformedIds_invalidArgument_andNothingCreated() {
    for (String agent : new String[] {"../x", "Main", "a/b", "\u0430dmin", "x".repeat(1_000_000)}) {
      assertEquals(
          Status.Code.INVALID_ARGUMENT,
          failure(agent, "anthropic", ""),
          agent.length() > 20 ? "long" : agent);
    }
    assertEquals(Status.Code.INVALID_ARGUMENT, failure("main", "", ""));
    assertEquals(Status.Code.INVALID_ARGUMENT, failure("main", "Anthropic!", ""));
    assertEquals(
        Status.Code.INVALID_ARGUMENT, failure("main", "anthropic", "x@anthropic:w\u00e4rk"));
    assertFalse(Files.exists(settings.stateDir().resolve("x")));
    assertFalse(Files.exists(settings.stateDir().getParent().resolve("x")));
  }

  @Test
  void emptyAgentMeansDefaultAgent() {
    assertEquals("anthropic:work", get("", "anthropic", "").getProfileId());
  }
}
