package dev.tokensink.testing;

import dev.tokensink.security.Callers;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * A service whose credential proxy forwards {@code anthropic}, {@code openai}, the configured
 * {@code acme} (credential form {@code api-key: {secret}}) and the strict OAuth provider to a
 * {@link FakeUpstream} on {@link #UPSTREAM_PORT}; the strict OAuth server runs on {@link
 * StrictProviderProfile#PORT}. Two callers: {@link #TOKEN_ALL} may use every agent, {@link
 * #TOKEN_OTHER} only agent {@code other}. The proxy also listens on a Unix socket in a temp dir.
 */
public class ProxyProfile implements QuarkusTestProfile {
  /** test.port.base + 7: next to the strict provider's ports, moved with them. */
  public static final int UPSTREAM_PORT = StrictProviderProfile.PORT + 2;

  public static final String UPSTREAM = "http://127.0.0.1:" + UPSTREAM_PORT;
  public static final String TOKEN_ALL = "tsk_proxy_caller_all_3e9f0c2a7b";
  public static final String TOKEN_OTHER = "tsk_proxy_caller_other_81d4e6";

  static {
    Secrets.register(TOKEN_ALL, TOKEN_OTHER);
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    try {
      Map<String, String> c = new HashMap<>();
      c.put("tokensink.state-dir", Files.createTempDirectory("tokensink-proxy-").toString());
      c.put("tokensink.jobs.interval", "1h");
      java.nio.file.Path run = Files.createTempDirectory("tokensink-proxy-run-");
      c.put("tokensink.proxy.socket", run.resolve("proxy.sock").toString());
      String strict = StrictProviderProfile.BASE;
      c.put("tokensink.providers.strict.authorize-url", strict + "/oauth/authorize");
      c.put("tokensink.providers.strict.token-url", strict + "/oauth/token");
      c.put("tokensink.providers.strict.client-id", StrictOAuthServer.CLIENT_ID);
      c.put(
          "tokensink.providers.strict.redirect-uri",
          "http://127.0.0.1:" + (StrictProviderProfile.PORT + 1) + "/auth/callback");
      c.put("tokensink.providers.strict.api-base-url", UPSTREAM + "/strict");
      c.put("tokensink.providers.anthropic.api-base-url", UPSTREAM + "/anthropic");
      c.put("tokensink.providers.openai.api-base-url", UPSTREAM + "/openai");
      c.put("tokensink.providers.acme.api-base-url", UPSTREAM + "/acme/v2/");
      c.put("tokensink.providers.acme.credential-header", "api-key: {secret}");
      c.put("tokensink.callers.sdk.token-sha256", Callers.sha256Hex(TOKEN_ALL));
      c.put("tokensink.callers.sdk.agents", "*");
      c.put("tokensink.callers.limited.token-sha256", Callers.sha256Hex(TOKEN_OTHER));
      c.put("tokensink.callers.limited.agents", "other");
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
