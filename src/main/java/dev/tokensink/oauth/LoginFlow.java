package dev.tokensink.oauth;

import dev.tokensink.config.ProviderSettings;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.Credential;
import dev.tokensink.model.InvalidIdException;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProviderId;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.StoreException;
import java.io.BufferedReader;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Interactive OAuth login (authorization code + PKCE S256) for {@code models auth login}: prints
 * the authorize URL, receives the answer on the loopback callback or as a paste on stdin, exchanges
 * the code, and stores the credential (see {@link LoginStorage}). Plain Java, no CDI: the CLI's
 * {@code main} and a CDI producer can both build it. One login per call; the class holds no state.
 */
public final class LoginFlow {
  private final Providers providers;
  private final TokenClient tokens;
  private final CredentialStore store;
  private final Clock clock;
  private final LoginOptions options;

  public LoginFlow(
      Providers providers,
      TokenClient tokens,
      CredentialStore store,
      Clock clock,
      LoginOptions options) {
    this.providers = Objects.requireNonNull(providers);
    this.tokens = Objects.requireNonNull(tokens);
    this.store = Objects.requireNonNull(store);
    this.clock = Objects.requireNonNull(clock);
    this.options = Objects.requireNonNull(options);
  }

  /**
   * The CLI entry: runs a login and reports on {@code out}. Returns the exit code: 0 signed in, 1
   * refused by the provider / token endpoint failure / timeout, 2 bad usage or bad input.
   *
   * @param agent null for {@code main}
   * @param profile {@code --profile}, or null to reuse the account's profile or mint one
   */
  public int run(
      String provider,
      String agent,
      String profile,
      boolean noBrowser,
      BufferedReader stdin,
      PrintStream out) {
    try {
      LoginResult r = login(provider, agent, profile, noBrowser, stdin, out);
      out.println(
          (r.updatedInPlace() ? "Updated " : "Signed in as ")
              + r.profileId()
              + (r.email() == null ? "" : " (" + r.email() + ")")
              + (r.accountId() == null ? "" : ", account " + r.accountId())
              + "; access "
              + r.maskedAccess()
              + " expires "
              + r.expiresAt());
      if (!r.hasRefreshToken()) {
        out.println(
            "Note: the provider issued no refresh token; log in again when the access token expires.");
      }
      return 0;
    } catch (LoginException e) {
      out.println("error: " + e.getMessage());
      return e.exitCode();
    }
  }

  /** Runs one login; see {@link #run} for the parameters. */
  public LoginResult login(
      String provider,
      String agent,
      String profile,
      boolean noBrowser,
      BufferedReader stdin,
      PrintStream out)
      throws LoginException {
    ProviderSettings p;
    AgentId agentId;
    ProviderId providerId;
    try {
      p = providers.forLogin(provider == null ? "" : provider);
      agentId = agent == null || agent.isBlank() ? AgentId.MAIN : AgentId.of(agent);
      providerId = ProviderId.of(p.id());
      if (profile != null) {
        ProfileId.of(providerId, profile);
      }
    } catch (ProviderException | InvalidIdException e) {
      throw LoginException.badInput(e.getMessage());
    }
    Optional<String> refusal = store.writeRefusal();
    if (refusal.isPresent()) {
      throw LoginException.badInput(refusal.get()); // exit 2, as every writing command
    }
    Pkce pkce = Pkce.generate(options.random());
    String state = Pkce.randomState(options.random());
    URI authorize = AuthorizeUrl.build(p, state, pkce.challenge());
    AuthCode code;
    try (AnswerWait wait = AnswerWait.start(p, state, noBrowser, options, stdin, out, authorize)) {
      code = wait.await(options.timeout());
      TokenResponse t;
      try {
        t = tokens.exchangeCode(p, code.code(), pkce.verifier(), p.redirectUri());
      } catch (TokenEndpointException e) {
        wait.finish("The provider did not complete the sign-in; see the terminal.");
        throw LoginException.failed("sign-in could not be completed: " + e.getMessage());
      }
      LoginResult result;
      try {
        result = persist(p, agentId, providerId, profile, t);
      } catch (StoreException e) {
        wait.finish("Signed in, but tokensink could not store the credential; see the terminal.");
        throw LoginException.failed(
            "signed in, but the credential could not be stored: " + e.getMessage());
      }
      wait.finish(null);
      return result;
    }
  }

  private LoginResult persist(
      ProviderSettings p, AgentId agent, ProviderId provider, String profile, TokenResponse t) {
    long now = clock.millis();
    Jwt access = Jwt.parse(t.accessToken());
    Jwt id = Jwt.parse(t.idToken());
    long expires;
    if (t.expiresInSeconds() != null && t.expiresInSeconds() > 0) {
      expires = now + t.expiresInSeconds() * 1000;
      // docs/rules.md §2: a JWT exp earlier than the announced lifetime wins.
      if (access.expiresAtMillis().isPresent()) {
        expires = Math.min(expires, access.expiresAtMillis().getAsLong());
      }
    } else {
      expires = access.expiresAtMillis().orElse(now + 3_600_000L);
    }
    String accountId = Jwt.accountId(p.accountIdClaim(), t.accessToken(), t.idToken()).orElse(null);
    String email = id.email().or(access::email).orElse(null);
    Credential.OAuth cred =
        new Credential.OAuth(t.accessToken(), t.refreshToken(), expires, accountId, p.clientId());
    LoginStorage.Stored stored = LoginStorage.store(store, agent, provider, profile, cred, email);
    return new LoginResult(
        stored.id(),
        t.accessToken().masked(),
        Instant.ofEpochMilli(expires),
        accountId,
        email,
        stored.updatedInPlace(),
        t.refreshToken() != null);
  }
}
