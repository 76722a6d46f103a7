package dev.tokensink.refresh;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Serving margin and proactive refresh window of a credential (docs/rules.md §2), as pure functions
 * of (expiry, lifetime, now). The lifetime is an explicit argument: callers take it from {@code
 * expires_in} at the last exchange, else the JWT's {@code exp - iat}, else {@link
 * #DEFAULT_LIFETIME} ({@link #lifetime} does exactly that).
 *
 * <ul>
 *   <li>{@code EXPIRED}: no time left;
 *   <li>{@code STALE}: less than the serving margin min(30 s, lifetime/4) left; must be refreshed
 *       before it is served (a short-lived token keeps a proportional margin, so it does not
 *       refresh forever);
 *   <li>{@code REFRESH_DUE}: inside the refresh window min(15 min, lifetime/2) but still servable;
 *   <li>{@code FRESH}: otherwise.
 * </ul>
 */
public final class Freshness {

  /** Lifetime assumed when neither {@code expires_in} nor JWT claims tell it. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

  static final Duration MAX_MARGIN = Duration.ofSeconds(30);
  static final Duration MAX_REFRESH_WINDOW = Duration.ofMinutes(15);
  static final double JITTER = 0.10;

  /** How usable a credential is at a moment. */
  public enum State {
    FRESH,
    REFRESH_DUE,
    STALE,
    EXPIRED
  }

  private Freshness() {}

  /**
   * The credential's lifetime: {@code expires_in} (seconds) when positive, else {@code exp - iat}
   * of its JWT (epoch seconds) when both are known and ordered, else {@link #DEFAULT_LIFETIME}.
   */
  public static Duration lifetime(Long expiresInSeconds, Long jwtIat, Long jwtExp) {
    if (expiresInSeconds != null && expiresInSeconds > 0) {
      return Duration.ofSeconds(expiresInSeconds);
    }
    if (jwtIat != null && jwtExp != null && jwtExp > jwtIat) {
      return Duration.ofSeconds(jwtExp - jwtIat);
    }
    return DEFAULT_LIFETIME;
  }

  /** min(30 s, lifetime/4): a credential is served only if it stays valid at least this long. */
  public static Duration servingMargin(Duration lifetime) {
    Duration quarter = divided(lifetime, 4);
    return quarter.compareTo(MAX_MARGIN) < 0 ? quarter : MAX_MARGIN;
  }

  /** min(15 min, lifetime/2): the proactive refresh window before expiry, without jitter. */
  public static Duration refreshWindow(Duration lifetime) {
    Duration half = divided(lifetime, 2);
    return half.compareTo(MAX_REFRESH_WINDOW) < 0 ? half : MAX_REFRESH_WINDOW;
  }

  /**
   * {@code d.dividedBy(n)} (truncated to the nanosecond) without the BigDecimal that {@link
   * Duration#dividedBy(long)} allocates: margins are computed on every request.
   */
  static Duration divided(Duration d, int n) {
    if (d.isNegative()) {
      return d.dividedBy(n);
    }
    long s = d.getSeconds();
    return Duration.ofSeconds(s / n, ((s % n) * 1_000_000_000L + d.getNano()) / n);
  }

  public static State state(long expiresAtMs, Duration lifetime, long nowMs) {
    long left = expiresAtMs - nowMs;
    if (left <= 0) {
      return State.EXPIRED;
    }
    if (left < servingMargin(lifetime).toMillis()) {
      return State.STALE;
    }
    if (left < refreshWindow(lifetime).toMillis()) {
      return State.REFRESH_DUE;
    }
    return State.FRESH;
  }

  /** True when the credential may be handed out without refreshing first. */
  public static boolean servable(long expiresAtMs, Duration lifetime, long nowMs) {
    State s = state(expiresAtMs, lifetime, nowMs);
    return s == State.FRESH || s == State.REFRESH_DUE;
  }

  /**
   * When the scheduler should refresh: expiry minus the refresh window scaled by 1 ± 10 %, so that
   * profiles do not refresh in lockstep. Never later than the point where the credential turns
   * stale.
   *
   * @param jitter yields values in [-1, 1]; injected so tests are deterministic
   */
  public static long refreshAt(long expiresAtMs, Duration lifetime, DoubleSupplier jitter) {
    double unit = Math.max(-1.0, Math.min(1.0, jitter.getAsDouble()));
    long window = Math.round(refreshWindow(lifetime).toMillis() * (1.0 + JITTER * unit));
    long latest = expiresAtMs - servingMargin(lifetime).toMillis();
    return Math.min(expiresAtMs - window, latest);
  }
}
