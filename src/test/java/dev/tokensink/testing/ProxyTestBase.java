package dev.tokensink.testing;

import dev.tokensink.cache.AgentCache;
import dev.tokensink.config.Settings;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import dev.tokensink.model.UsageStats;
import dev.tokensink.proxy.ProxyServer;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the credential proxy's {@code @QuarkusTest}s under {@link ProxyProfile}: runs the fake
 * provider and the strict OAuth server for the class and stores profiles as another process would.
 */
public abstract class ProxyTestBase {
  protected static FakeUpstream upstream;
  protected static StrictOAuthServer oauth;

  @Inject protected Settings settings;
  @Inject protected AgentCache cache;
  @Inject protected ProxyServer proxy;

  @BeforeAll
  static void startFakes() {
    upstream = FakeUpstream.start(ProxyProfile.UPSTREAM_PORT);
    oauth = StrictOAuthServer.start(TestProducers.CLOCK, StrictProviderProfile.PORT);
  }

  @AfterAll
  static void stopFakes() {
    upstream.close();
    oauth.close();
  }

  @BeforeEach
  void resetFakes() {
    upstream.reset();
    oauth.reset();
  }

  /** The proxy's base URL for an agent and provider, as an SDK's base URL. */
  protected String base(String agent, String provider) {
    return "http://127.0.0.1:" + proxy.port() + "/" + agent + "/" + provider;
  }

  protected static Profile apiKey(String id, String key) {
    Secrets.register(key);
    return Profile.of(ProfileId.parse(id), new Credential.ApiKey(Secret.of(key), null, null));
  }

  /** Stores these profiles in {@code agent} (replacing any of the same id) and loads the agent. */
  protected void store(String agent, Profile... profiles) {
    try (FileStore store =
        new FileStore(FileStoreSettings.of(settings.stateDir()), TestProducers.CLOCK)) {
      store.update(
          AgentId.of(agent),
          tx -> {
            var s = tx.current();
            for (Profile p : profiles) {
              s = s.withProfile(p);
            }
            tx.write(s);
            return null;
          });
    }
    cache.load(AgentId.of(agent));
  }

  /** Stores the profiles of one provider and the agent's order listing them in this order. */
  protected void storeOrdered(String agent, String provider, Profile... profiles) {
    try (FileStore store =
        new FileStore(FileStoreSettings.of(settings.stateDir()), TestProducers.CLOCK)) {
      store.update(
          AgentId.of(agent),
          tx -> {
            var s = tx.current();
            for (Profile p : profiles) {
              s = s.withProfile(p);
            }
            s = s.withOrder(provider, java.util.Arrays.stream(profiles).map(Profile::id).toList());
            tx.write(s);
            return null;
          });
    }
    cache.load(AgentId.of(agent));
  }

  /** Sends a request to the proxy with a caller token that may use every agent. */
  protected java.net.http.HttpResponse<String> post(String path, String json, String... headers)
      throws Exception {
    java.net.http.HttpRequest.Builder b =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + proxy.port() + path))
            .timeout(java.time.Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .header("authorization", "Bearer " + ProxyProfile.TOKEN_ALL)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.setHeader(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  protected static final java.net.http.HttpClient HTTP =
      java.net.http.HttpClient.newBuilder()
          .version(java.net.http.HttpClient.Version.HTTP_1_1)
          .build();

  protected static Profile token(String id, String token) {
    Secrets.register(token);
    return Profile.of(ProfileId.parse(id), new Credential.Token(Secret.of(token), null, null));
  }

  protected UsageStats usage(String agent, String profile) {
    return cache.peek(AgentId.of(agent)).snapshot().state().usage(ProfileId.parse(profile));
  }

  protected static Map<String, String> bearer(String token) {
    return Map.of("authorization", "Bearer " + token);
  }
}
