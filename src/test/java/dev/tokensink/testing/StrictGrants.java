package dev.tokensink.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.testing.StrictOAuthServer.Account;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The authorization server's memory: one-time codes, grants, their refresh-token lineage. Every
 * method is synchronized: the state is small and tests need linearizable answers.
 */
final class StrictGrants {
  /** A token endpoint answer: HTTP status and JSON body. */
  record Answer(int status, ObjectNode body) {}

  private record PendingCode(
      String clientId,
      String redirectUri,
      String challenge,
      Account account,
      String scope,
      Instant expires) {}

  private static final class Grant {
    final String id;
    final Account account;
    final String scope;
    boolean revoked;
    String refresh;
    final Map<String, Instant> spent = new HashMap<>();
    final Set<String> access = new HashSet<>();

    Grant(String id, Account account, String scope) {
      this.id = id;
      this.account = account;
      this.scope = scope;
    }
  }

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, PendingCode> codes = new HashMap<>();
  private final Map<String, Grant> byRefresh = new HashMap<>();
  private final Map<String, Grant> byAccess = new HashMap<>();
  private final AtomicInteger grantIds = new AtomicInteger();
  final AtomicInteger reuses = new AtomicInteger();
  final AtomicInteger revokedGrants = new AtomicInteger();

  volatile Duration accessLifetime = Duration.ofHours(1);
  volatile boolean rotate = true;
  volatile Duration grace = Duration.ZERO;
  volatile String clientId;

  StrictGrants(Clock clock, String clientId) {
    this.clock = clock;
    this.clientId = clientId;
  }

  synchronized String newCode(String redirectUri, String challenge, Account account, String scope) {
    String code = "code_" + randomToken(24);
    codes.put(
        code,
        new PendingCode(
            clientId,
            redirectUri,
            challenge,
            account,
            scope,
            clock.instant().plus(Duration.ofMinutes(5))));
    return code;
  }

  synchronized Answer exchange(String code, String verifier, String redirectUri) {
    PendingCode pending = code == null ? null : codes.remove(code);
    if (pending == null) {
      return error(400, "invalid_grant", "authorization code is unknown or already used");
    }
    if (clock.instant().isAfter(pending.expires())) {
      return error(400, "invalid_grant", "authorization code expired");
    }
    if (!pending.redirectUri().equals(redirectUri)) {
      return error(400, "invalid_grant", "redirect_uri does not match the authorization request");
    }
    if (verifier == null || !challenge(verifier).equals(pending.challenge())) {
      return error(400, "invalid_grant", "PKCE verification failed");
    }
    Grant g = new Grant("grant-" + grantIds.incrementAndGet(), pending.account(), pending.scope());
    g.refresh = newRefresh(g);
    return issue(g, g.refresh, true);
  }

  synchronized Answer refresh(String token) {
    Grant g = token == null ? null : byRefresh.get(token);
    if (g == null) {
      return error(400, "invalid_grant", "refresh token is unknown");
    }
    if (g.revoked) {
      return error(400, "invalid_grant", "grant has been revoked");
    }
    if (!token.equals(g.refresh)) {
      Instant spentAt = g.spent.get(token);
      if (spentAt != null
          && !clock.instant().isAfter(spentAt.plus(grace))
          && grace.compareTo(Duration.ZERO) > 0) {
        // Grace window: the provider answers as if the spent token were current, handing out the
        // refresh token that superseded it (what Okta and Supabase do).
        return issue(g, g.refresh, true);
      }
      reuses.incrementAndGet();
      revoke(g);
      return error(400, "invalid_grant", "refresh token reused");
    }
    if (!rotate) {
      return issue(g, token, false);
    }
    g.spent.put(token, clock.instant());
    g.refresh = newRefresh(g);
    return issue(g, g.refresh, true);
  }

  /** RFC 7009: revokes the grant behind a refresh or access token; unknown tokens are ignored. */
  synchronized void revokeToken(String token) {
    Grant g = byRefresh.get(token);
    if (g == null) {
      g = byAccess.get(token);
    }
    if (g != null && !g.revoked) {
      revoke(g);
    }
  }

  synchronized StrictOAuthServer.TokenPair seed(Account account, String scope) {
    Grant g = new Grant("grant-" + grantIds.incrementAndGet(), account, scope);
    g.refresh = newRefresh(g);
    String access = newAccess(g);
    return new StrictOAuthServer.TokenPair(access, g.refresh);
  }

  synchronized boolean isRevoked(String token) {
    Grant g = byRefresh.containsKey(token) ? byRefresh.get(token) : byAccess.get(token);
    return g != null && g.revoked;
  }

  /** RFC 7662 for refresh tokens: the current refresh token of a grant that is not revoked. */
  synchronized boolean activeRefresh(String token) {
    Grant g = byRefresh.get(token);
    return g != null && !g.revoked && token.equals(g.refresh);
  }

  synchronized boolean accessIssued(String token) {
    Grant g = byAccess.get(token);
    return g != null && !g.revoked;
  }

  synchronized String currentRefresh(String anyRefreshOfGrant) {
    Grant g = byRefresh.get(anyRefreshOfGrant);
    return g == null ? null : g.refresh;
  }

  private void revoke(Grant g) {
    g.revoked = true;
    revokedGrants.incrementAndGet();
  }

  private Answer issue(Grant g, String refresh, boolean includeRefresh) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("access_token", newAccess(g));
    body.put("token_type", "Bearer");
    body.put("expires_in", accessLifetime.toSeconds());
    if (includeRefresh) {
      body.put("refresh_token", refresh);
    }
    body.put("id_token", idToken(g));
    body.put("scope", g.scope);
    return new Answer(200, body);
  }

  private String newRefresh(Grant g) {
    String token = "rt_" + randomToken(32);
    Secrets.register(token);
    byRefresh.put(token, g);
    return token;
  }

  private String newAccess(Grant g) {
    long now = clock.instant().getEpochSecond();
    ObjectNode c = TestJwt.claims();
    c.put("iss", "https://strict.test");
    c.put("sub", g.account.sub());
    c.put("iat", now);
    c.put("exp", now + accessLifetime.toSeconds());
    c.put("jti", randomToken(12));
    c.putObject("https://api.openai.com/auth").put("chatgpt_account_id", g.account.accountId());
    String token = TestJwt.sign(c);
    Secrets.register(token);
    g.access.add(token);
    byAccess.put(token, g);
    return token;
  }

  private String idToken(Grant g) {
    long now = clock.instant().getEpochSecond();
    ObjectNode c = TestJwt.claims();
    c.put("iss", "https://strict.test");
    c.put("aud", clientId);
    c.put("sub", g.account.sub());
    c.put("email", g.account.email());
    c.put("iat", now);
    c.put("exp", now + 3600);
    return TestJwt.sign(c);
  }

  static Answer error(int status, String error, String description) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("error", error);
    body.put("error_description", description);
    return new Answer(status, body);
  }

  static String challenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String randomToken(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
