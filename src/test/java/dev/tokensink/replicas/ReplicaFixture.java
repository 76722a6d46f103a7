package dev.tokensink.replicas;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tokensink.api.v1.Credential;
import dev.tokensink.api.v1.GetCredentialRequest;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProviderId;
import dev.tokensink.model.Secret;
import dev.tokensink.oauth.Jwt;
import dev.tokensink.store.pg.PgStoreConfig;
import dev.tokensink.store.pg.PostgresStore;
import dev.tokensink.testing.ReplicaProcess;
import dev.tokensink.testing.StrictOAuthServer;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the replica ITs share: the replicas' configuration (one PostgreSQL database, AES-GCM on, the
 * strict provider {@code strict}), seeding an OAuth grant into the database the way the CLI would,
 * and starting replicas side by side.
 */
final class ReplicaFixture {
  static final AgentId AGENT = AgentId.of("main");
  static final ProfileId PROFILE = ProfileId.of(ProviderId.of("strict"), "default");

  final String url;
  final String key;
  final StrictOAuthServer server;

  ReplicaFixture(String url, StrictOAuthServer server) {
    this.url = url;
    this.server = server;
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    this.key = Base64.getEncoder().encodeToString(k);
  }

  /** System properties of a replica (the docs/api.md keys); {@code extra} adds or overrides. */
  Map<String, String> properties(Map<String, String> extra) {
    String base = server.baseUri().toString();
    Map<String, String> p = new HashMap<>();
    p.put("tokensink.store.backend", "postgres");
    p.put("tokensink.store.postgres.url", url);
    p.put("tokensink.store.postgres.username", "postgres");
    p.put("tokensink.encryption-key", key);
    p.put("tokensink.providers.strict.authorize-url", base + "/oauth/authorize");
    p.put("tokensink.providers.strict.token-url", base + "/oauth/token");
    p.put("tokensink.providers.strict.client-id", StrictOAuthServer.CLIENT_ID);
    p.put("tokensink.providers.strict.redirect-uri", "http://127.0.0.1:1455/auth/callback");
    p.putAll(extra);
    return p;
  }

  PostgresStore openStore() {
    return PostgresStore.open(PgStoreConfig.of(url, "postgres", "", key));
  }

  /**
   * Stores a fresh grant of the strict server as {@code strict:default} of agent main; expiry = the
   * JWT's.
   */
  StrictOAuthServer.TokenPair seed(AgentId agent, ProfileId id) {
    StrictOAuthServer.TokenPair pair = server.seedGrant();
    long expires = Jwt.parse(Secret.of(pair.access())).expiresAtMillis().orElseThrow();
    seed(agent, id, pair, expires);
    return pair;
  }

  void seed(AgentId agent, ProfileId id, StrictOAuthServer.TokenPair pair, long expires) {
    try (PostgresStore store = openStore()) {
      store.update(
          agent,
          tx -> {
            tx.write(
                tx.current()
                    .withProfile(
                        Profile.of(
                            id,
                            new dev.tokensink.model.Credential.OAuth(
                                Secret.of(pair.access()),
                                Secret.of(pair.refresh()),
                                expires,
                                "acct-1",
                                null))));
            return null;
          });
    }
  }

  /**
   * A pasted token of provider {@code pasted} that expires in a day: a stream subscribed with a
   * lead time longer than that reports it as EXPIRING at once, which tells the test its stream is
   * live.
   */
  void seedMarker(AgentId agent) {
    try (PostgresStore store = openStore()) {
      store.update(
          agent,
          tx -> {
            tx.write(
                tx.current()
                    .withProfile(
                        Profile.of(
                            ProfileId.of(ProviderId.of("pasted"), "marker"),
                            new dev.tokensink.model.Credential.Token(
                                Secret.of("pasted-marker-token"),
                                null,
                                System.currentTimeMillis() + Duration.ofDays(1).toMillis()))));
            return null;
          });
    }
  }

  /** The stored OAuth credential of a profile, read straight from the database. */
  dev.tokensink.model.Credential.OAuth stored(AgentId agent, ProfileId id) {
    try (PostgresStore store = openStore()) {
      return (dev.tokensink.model.Credential.OAuth)
          store.read(agent).orElseThrow().profile(id).credential();
    }
  }

  /** Starts {@code n} replicas side by side and waits until every one is ready. */
  List<ReplicaProcess> start(int n, Map<String, String> extra)
      throws IOException, InterruptedException {
    List<ReplicaProcess> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(ReplicaProcess.start("replica-" + (char) ('a' + i), properties(extra)));
    }
    for (ReplicaProcess r : out) {
      r.awaitReadiness(200, Duration.ofSeconds(60));
    }
    return out;
  }

  /** Polls GetCredential(main, strict) on {@code r} until it answers with a credential. */
  static Credential awaitServing(ReplicaProcess r, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return r.broker()
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .getCredential(
                GetCredentialRequest.newBuilder()
                    .setAgent(AGENT.value())
                    .setProvider("strict")
                    .build());
      } catch (StatusRuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(r + " does not serve strict:default: " + e.getStatus(), e);
        }
        Thread.sleep(20);
      }
    }
  }

  /** No secret the test saw may appear in a replica's log. */
  static void assertNoSecretsLogged(
      Collection<ReplicaProcess> replicas, Collection<String> secrets) {
    for (ReplicaProcess r : replicas) {
      String log = r.log();
      for (String s : secrets) {
        assertFalse(log.contains(s), r + " logged a secret");
      }
    }
  }
}
