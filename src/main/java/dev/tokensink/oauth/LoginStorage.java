package dev.tokensink.oauth;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.InvalidIdException;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProviderId;
import dev.tokensink.model.UsageStats;
import dev.tokensink.store.CredentialStore;
import java.util.Map;
import java.util.Optional;

/**
 * Stores a login's credential under the agent lock (docs/rules.md §6 "re-login keeps ids stable"):
 * an explicit profile name wins; else the profile already holding this account is updated in place;
 * else a new id from the email, else {@code default}. The profile's re-auth mark, refresh-in-flight
 * marker and cooldown/disabled state are cleared.
 */
final class LoginStorage {
  /** Where the credential went. */
  record Stored(ProfileId id, boolean updatedInPlace) {}

  private LoginStorage() {}

  static Stored store(
      CredentialStore store,
      AgentId agent,
      ProviderId provider,
      String profileName,
      Credential.OAuth credential,
      String email) {
    return store.update(
        agent,
        tx -> {
          AgentSnapshot snap = tx.current();
          ProfileId id =
              profileName != null
                  ? ProfileId.of(provider, profileName)
                  : sameAccount(snap, provider, credential.accountId(), email)
                      .orElseGet(() -> newId(snap, provider, email));
          Profile existing = snap.profile(id);
          Profile next =
              existing == null
                  ? new Profile(id, provider, credential, email, null, Map.of())
                  : existing
                      .withCredential(credential)
                      .withEmail(email != null ? email : existing.email());
          UsageStats old = snap.state().usage(id);
          UsageStats cleared =
              new UsageStats(
                  old.lastUsed(),
                  null,
                  null,
                  null,
                  null,
                  null,
                  0,
                  Map.of(),
                  null,
                  null,
                  old.extra());
          tx.write(
              snap.withProfile(next)
                  .withState(
                      snap.state()
                          .withReauth(id, null)
                          .withRefreshInFlight(id, null)
                          .withUsage(id, cleared.equals(UsageStats.EMPTY) ? null : cleared)));
          return new Stored(id, existing != null);
        });
  }

  /**
   * The profile of this provider holding the same account. The account id decides when both sides
   * have one: one email can own several ChatGPT accounts (personal and team), which must not merge.
   */
  private static Optional<ProfileId> sameAccount(
      AgentSnapshot snap, ProviderId provider, String accountId, String email) {
    if (accountId != null) {
      for (Profile p : snap.profilesOf(provider)) {
        if (p.credential() instanceof Credential.OAuth o && accountId.equals(o.accountId())) {
          return Optional.of(p.id());
        }
      }
    }
    if (email != null) {
      for (Profile p : snap.profilesOf(provider)) {
        String theirs = p.credential() instanceof Credential.OAuth o ? o.accountId() : null;
        if (email.equalsIgnoreCase(p.email()) && (accountId == null || theirs == null)) {
          return Optional.of(p.id());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * {@code provider:<email>} or {@code provider:default}; a suffix when another account holds it.
   */
  private static ProfileId newId(AgentSnapshot snap, ProviderId provider, String email) {
    String base = "default";
    if (email != null) {
      try {
        base = ProfileId.of(provider, email).name();
      } catch (InvalidIdException e) {
        base = "default";
      }
    }
    ProfileId id = ProfileId.of(provider, base);
    for (int n = 2; snap.profile(id) != null; n++) {
      id = ProfileId.of(provider, base + "-" + n);
    }
    return id;
  }
}
