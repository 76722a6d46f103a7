package dev.tokensink.status;

import dev.tokensink.security.Caller;
import dev.tokensink.security.Callers;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Status-page sessions: a caller's bearer token is exchanged once for a random session id, set as
 * an HttpOnly, SameSite=Strict cookie. Only the SHA-256 of each id is held (a heap dump shows no
 * usable cookie); sessions expire after {@code ttl} and are bounded in number (the oldest go
 * first).
 */
public final class StatusSessions {
  private record Session(Caller caller, long createdMs, long expiresMs) {}

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration ttl;
  private final int max;

  public StatusSessions(Clock clock, Duration ttl, int max) {
    this.clock = clock;
    this.ttl = ttl;
    this.max = max;
  }

  public Duration ttl() {
    return ttl;
  }

  /** A new session for {@code caller}; returns the id to set as the cookie. */
  public String open(Caller caller) {
    long now = clock.millis();
    if (sessions.size() >= max) {
      sessions.values().removeIf(s -> s.expiresMs() <= now);
      while (sessions.size() >= max) {
        sessions.entrySet().stream()
            .min(java.util.Comparator.comparingLong(e -> e.getValue().createdMs()))
            .ifPresent(e -> sessions.remove(e.getKey()));
      }
    }
    byte[] b = new byte[32];
    random.nextBytes(b);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    sessions.put(Callers.sha256Hex(id), new Session(caller, now, now + ttl.toMillis()));
    return id;
  }

  /** The caller of a live session. */
  public Optional<Caller> caller(String id) {
    if (id == null || id.isEmpty() || id.length() > 100) {
      return Optional.empty();
    }
    String key = Callers.sha256Hex(id);
    Session s = sessions.get(key);
    if (s == null) {
      return Optional.empty();
    }
    if (s.expiresMs() <= clock.millis()) {
      sessions.remove(key);
      return Optional.empty();
    }
    return Optional.of(s.caller());
  }

  public void close(String id) {
    if (id != null && id.length() <= 100) {
      sessions.remove(Callers.sha256Hex(id));
    }
  }

  public int size() {
    return sessions.size();
  }
}
