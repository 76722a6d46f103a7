package dev.tokensink.routing;

import dev.tokensink.cooldown.CooldownPolicy;
import dev.tokensink.model.AuthState;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ReauthMark;
import dev.tokensink.model.UsageStats;
import java.time.Duration;
import java.util.Locale;

/**
 * One profile's line in {@code models status} (docs/rules.md §5). The kind is the most urgent that
 * applies: missing, reauth_required, expired, expiring, disabled, cooldown, static, ok.
 *
 * <p>An OAuth profile with a refresh token and no re-auth mark is {@code ok} even past its expiry:
 * it refreshes on the next use. It is {@code expired} only when it cannot refresh (no refresh
 * token), and {@code reauth_required} once a refresh was refused. A non-refreshable credential (a
 * pasted token, an OAuth access token without a refresh token) with less than 24 h left is {@code
 * expiring}.
 *
 * @param expiresAtMs the credential's expiry, null when it does not expire
 * @param blockedUntilMs end of an active cooldown or disabled window, also when a more urgent kind
 *     wins
 * @param detail human-readable reason, never a secret; may be null
 */
public record ProfileStatus(
    ProfileId id, Kind kind, Long expiresAtMs, Long blockedUntilMs, String detail) {

  /** Status words as printed and in {@code --json}. */
  public enum Kind {
    OK,
    EXPIRING,
    EXPIRED,
    MISSING,
    STATIC,
    REAUTH_REQUIRED,
    COOLDOWN,
    DISABLED;

    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final Duration EXPIRING_WINDOW = Duration.ofHours(24);

  /**
   * @param secretAvailable false when the secret is blank or its ref does not resolve (the caller
   *     resolves refs; this stays pure)
   */
  public static ProfileStatus of(Profile p, AuthState state, long nowMs, boolean secretAvailable) {
    Credential c = p.credential();
    Long expires = c.expiresAt();
    UsageStats u = state.usage(p.id());
    Long blocked = blockedUntil(u, nowMs);
    ReauthMark mark = state.reauth().get(p.id());
    if (mark
        != null) { // before missing: an imported refresh-fence marker has no secret and needs a
      // login
      return new ProfileStatus(p.id(), Kind.REAUTH_REQUIRED, expires, blocked, mark.reason());
    }
    if (!secretAvailable || blank(c)) {
      return new ProfileStatus(p.id(), Kind.MISSING, expires, blocked, "no secret available");
    }
    boolean refreshable =
        c instanceof Credential.OAuth o && o.refresh() != null && !o.refresh().isBlank();
    if (!refreshable && expires != null) {
      if (expires <= nowMs) {
        String why =
            c instanceof Credential.OAuth ? "expired, no refresh token" : "expired, cannot refresh";
        return new ProfileStatus(p.id(), Kind.EXPIRED, expires, blocked, why);
      }
      if (expires - nowMs < EXPIRING_WINDOW.toMillis()) {
        return new ProfileStatus(p.id(), Kind.EXPIRING, expires, blocked, "cannot refresh");
      }
    }
    if (CooldownPolicy.active(u.disabledUntil(), nowMs)) {
      return new ProfileStatus(p.id(), Kind.DISABLED, expires, blocked, u.disabledReason());
    }
    if (CooldownPolicy.active(u.cooldownUntil(), nowMs)) {
      String scope = u.cooldownModel() == null ? "" : " (model " + u.cooldownModel() + " only)";
      return new ProfileStatus(p.id(), Kind.COOLDOWN, expires, blocked, u.cooldownReason() + scope);
    }
    Kind kind = c instanceof Credential.ApiKey ? Kind.STATIC : Kind.OK;
    return new ProfileStatus(p.id(), kind, expires, null, null);
  }

  private static Long blockedUntil(UsageStats u, long now) {
    long until =
        Math.max(
            CooldownPolicy.active(u.disabledUntil(), now) ? u.disabledUntil() : 0,
            CooldownPolicy.active(u.cooldownUntil(), now) ? u.cooldownUntil() : 0);
    return until > 0 ? until : null;
  }

  private static boolean blank(Credential c) {
    if (c instanceof Credential.ApiKey k) {
      return k.key() != null && k.key().isBlank();
    }
    if (c instanceof Credential.Token t) {
      return t.token() != null && t.token().isBlank();
    }
    return ((Credential.OAuth) c).access().isBlank();
  }
}
