package dev.tokensink.status;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ReauthMark;
import dev.tokensink.model.Secret;
import dev.tokensink.model.UsageStats;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import dev.tokensink.testing.Secrets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Writes agents into a state dir the way the CLI would, for the status page tests. */
final class StatusSeed {
  private StatusSeed() {}

  static Profile apiKey(String id, String key) {
    Secrets.register(key);
    return Profile.of(ProfileId.parse(id), new Credential.ApiKey(Secret.of(key), null, Map.of()));
  }

  static Profile token(String id, String token, Long expires) {
    Secrets.register(token);
    return Profile.of(ProfileId.parse(id), new Credential.Token(Secret.of(token), null, expires));
  }

  static Profile oauth(String id, String access, String refresh, long expires, String account) {
    Secrets.register(access, refresh);
    return Profile.of(
        ProfileId.parse(id),
        new Credential.OAuth(Secret.of(access), Secret.of(refresh), expires, account, null));
  }

  /** Stores the profiles (and whatever {@code more} changes) as agent {@code agent}. */
  static void agent(
      Path stateDir,
      Clock clock,
      String agent,
      List<Profile> profiles,
      UnaryOperator<AgentSnapshot> more) {
    try (FileStore store = new FileStore(FileStoreSettings.of(stateDir), clock)) {
      store.update(
          AgentId.of(agent),
          tx -> {
            AgentSnapshot s = tx.current();
            for (Profile p : profiles) {
              s = s.withProfile(p);
            }
            tx.write(more.apply(s));
            return null;
          });
    }
  }

  static UnaryOperator<AgentSnapshot> cooldown(
      String profile, long until, String reason, String model) {
    return s -> {
      ProfileId id = ProfileId.parse(profile);
      UsageStats u = s.state().usage(id);
      UsageStats next =
          new UsageStats(
              u.lastUsed(),
              until,
              reason,
              model,
              u.disabledUntil(),
              u.disabledReason(),
              1,
              Map.of(reason, 1),
              until - 30_000,
              null,
              Map.of());
      return s.withState(s.state().withUsage(id, next));
    };
  }

  static UnaryOperator<AgentSnapshot> disabled(String profile, long until, String reason) {
    return s -> {
      ProfileId id = ProfileId.parse(profile);
      UsageStats u = s.state().usage(id);
      UsageStats next =
          new UsageStats(
              u.lastUsed(),
              u.cooldownUntil(),
              u.cooldownReason(),
              u.cooldownModel(),
              until,
              reason,
              1,
              Map.of(reason, 1),
              until - 600_000,
              null,
              Map.of());
      return s.withState(s.state().withUsage(id, next));
    };
  }

  static UnaryOperator<AgentSnapshot> reauth(String profile, String reason, long at) {
    return s ->
        s.withState(s.state().withReauth(ProfileId.parse(profile), new ReauthMark(reason, at)));
  }

  static UnaryOperator<AgentSnapshot> order(String provider, String... ids) {
    return s -> s.withOrder(provider, java.util.Arrays.stream(ids).map(ProfileId::parse).toList());
  }
}
