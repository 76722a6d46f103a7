package dev.tokensink.refresh;

import dev.tokensink.model.Credential;
import dev.tokensink.oauth.Jwt;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lifetime of each profile's current access token (docs/rules.md §2): {@code expires_in} of the
 * last exchange or refresh in this process, else the JWT's {@code exp - iat}, else one hour. JWT
 * claims are parsed once per credential generation, so the serving fast path stays cheap.
 * Thread-safe.
 */
final class Lifetimes {
  private record Known(long expires, Duration lifetime) {}

  private final Map<ProfileKey, Duration> fromExpiresIn = new ConcurrentHashMap<>();
  private final Map<ProfileKey, Known> fromJwt = new ConcurrentHashMap<>();

  void remember(ProfileKey key, Duration lifetime) {
    fromExpiresIn.put(key, lifetime);
  }

  Duration of(ProfileKey key, Credential.OAuth c) {
    Duration d = fromExpiresIn.get(key);
    if (d != null) {
      return d;
    }
    Known k = fromJwt.get(key);
    if (k != null && k.expires() == c.expires()) {
      return k.lifetime();
    }
    Jwt jwt = Jwt.parse(c.access());
    Duration lifetime =
        Freshness.lifetime(null, seconds(jwt.issuedAtMillis()), seconds(jwt.expiresAtMillis()));
    fromJwt.put(key, new Known(c.expires(), lifetime));
    return lifetime;
  }

  /**
   * A jitter in [-1, 1] that is stable for one credential generation of one profile (so repeated
   * ticks agree on the refresh moment) and differs between profiles and rotations.
   */
  static double jitter(ProfileKey key, long expires) {
    long seed = key.hashCode() * 31L + expires;
    return new SplittableRandom(seed).nextDouble() * 2 - 1;
  }

  private static Long seconds(OptionalLong ms) {
    return ms.isPresent() ? ms.getAsLong() / 1000 : null;
  }
}
