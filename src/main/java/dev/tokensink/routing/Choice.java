package dev.tokensink.routing;

import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import java.util.List;

/**
 * The profile that serves a request.
 *
 * @param overrideModel the model alias named in the override (the {@code Credential.model} field),
 *     or null
 * @param probe true when the profile is usable only as the half-open probe of a usage-limit block:
 *     the caller must claim it ({@link Usability#claimProbe}) in the update that serves it
 * @param candidates the full candidate order with the chosen one first, for logging and failover
 */
public record Choice(
    Profile profile,
    Source source,
    String overrideModel,
    boolean probe,
    List<ProfileId> candidates) {
  public Choice {
    candidates = List.copyOf(candidates);
  }
}
