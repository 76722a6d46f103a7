package dev.tokensink.routing;

import dev.tokensink.model.ProviderId;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/**
 * The exit code of {@code models status --check} (docs/rules.md §5): 1 when anything needs a person
 * now (expired without a working refresh, missing, re-auth required, or a configured provider
 * without any credential), else 2 when something is expiring, else 0. Cooldowns heal themselves and
 * never fail the check.
 */
public final class StatusCheck {
  public static final int OK = 0;
  public static final int BROKEN = 1;
  public static final int EXPIRING = 2;

  private static final Set<ProfileStatus.Kind> BROKEN_KINDS =
      EnumSet.of(
          ProfileStatus.Kind.EXPIRED,
          ProfileStatus.Kind.MISSING,
          ProfileStatus.Kind.REAUTH_REQUIRED);

  private StatusCheck() {}

  public static int exitCode(
      Collection<ProfileStatus> statuses, Collection<ProviderId> configuredWithoutCredentials) {
    if (!configuredWithoutCredentials.isEmpty()
        || statuses.stream().anyMatch(s -> BROKEN_KINDS.contains(s.kind()))) {
      return BROKEN;
    }
    if (statuses.stream().anyMatch(s -> s.kind() == ProfileStatus.Kind.EXPIRING)) {
      return EXPIRING;
    }
    return OK;
  }
}
