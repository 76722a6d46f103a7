package dev.tokensink.refresh;

import dev.tokensink.config.ProviderSettings;
import dev.tokensink.events.LifecycleEvent;
import dev.tokensink.events.LifecycleEvent.Type;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ReauthMark;
import dev.tokensink.model.Secret;
import dev.tokensink.oauth.Providers;
import dev.tokensink.oauth.TokenClient;
import dev.tokensink.oauth.TokenEndpointException;
import dev.tokensink.refresh.Outcome.Result;
import dev.tokensink.store.CredentialStore.AgentTx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * The part of one refresh that runs inside {@code store.update}, i.e. under the agent's lock
 * (threads, processes, replicas) on a snapshot re-read under it. It is the only code that calls the
 * token endpoint for a refresh, and it writes the "refresh in flight" marker durably before that
 * call. Runs on a worker thread; blocks on the network.
 */
final class RefreshWork {
  private final ProfileKey key;
  private final RefreshMode mode;
  private final Secret sawAccess;
  private final TokenClient client;
  private final Providers providers;
  private ProviderSettings provider;
  private final Lifetimes lifetimes;
  private final Runnable countCall;
  private final long now;

  RefreshWork(
      ProfileKey key,
      RefreshMode mode,
      Secret sawAccess,
      TokenClient client,
      Providers providers,
      Lifetimes lifetimes,
      Runnable countCall,
      long now) {
    this.key = key;
    this.mode = mode;
    this.sawAccess = sawAccess;
    this.client = client;
    this.providers = providers;
    this.lifetimes = lifetimes;
    this.countCall = countCall;
    this.now = now;
  }

  Outcome run(AgentTx tx) {
    AgentSnapshot cur = tx.current();
    ProfileId id = key.profile();
    Profile p = cur.profile(id);
    if (p == null) {
      return Outcome.failed(
          new RefreshException(
              RefreshException.Kind.NOT_FOUND,
              key.agent(),
              id,
              null,
              "profile "
                  + id
                  + " no longer exists in agent "
                  + key.agent()
                  + "; run `tokensink profiles list --agent "
                  + key.agent()
                  + " --json`",
              null),
          null,
          List.of());
    }
    if (!(p.credential() instanceof Credential.OAuth o)) {
      return Outcome.stored(p);
    }
    // The credential's own provider field decides its provider (docs/rules.md §1).
    provider = providers.find(p.provider().value()).orElse(null);
    if (provider == null) {
      return Outcome.failed(
          new RefreshException(
              RefreshException.Kind.UNAVAILABLE,
              key.agent(),
              id,
              null,
              "provider "
                  + p.provider()
                  + " of profile "
                  + id
                  + " is not configured for refresh; add"
                  + " tokensink.providers."
                  + p.provider()
                  + ".token-url",
              null),
          null,
          List.of());
    }
    ReauthMark mark = cur.state().reauth().get(id);
    if (mark != null) {
      return Outcome.failed(
          RefreshException.reauth(key.agent(), id, mark.reason()), null, List.of());
    }
    Long since = cur.state().refreshInFlight().get(id);
    if (since != null && !Rotation.mayRetryAfterCrash(since, provider.refreshGrace(), now)) {
      // Under the agent lock no live writer can be between marker and result: this marker was left
      // by
      // a process that died mid-refresh. Its refresh token may be spent; never replay it.
      return reauth(tx, cur, p, Rotation.CRASH_REASON);
    }
    if (since == null && !needed(o)) {
      return Outcome.stored(p);
    }
    if (o.refresh() == null || o.refresh().isBlank()) {
      return reauth(tx, cur, p, "no refresh token stored");
    }
    // Durability: the marker is on disk before the request leaves, so a crash between the
    // provider's
    // answer and our write is detected at the next start instead of silently replaying a spent
    // token.
    tx.write(cur.withState(cur.state().withRefreshInFlight(id, now)));
    tx.flush();
    Secret used = o.refresh();
    try {
      countCall.run();
      Rotation.Rotated r = Rotation.apply(o, client.refresh(provider, used), now);
      Profile next = p.withCredential(r.credential());
      // Two durable steps, tokens first: a store may write the profiles and the state in separate
      // files, and a crash after "marker cleared" but before "new tokens" would leave a spent
      // refresh
      // token with no marker, which the next refresh would replay. Crashing between the steps
      // leaves
      // the new tokens with the marker: fail closed (re-auth), never a replay.
      AgentSnapshot withTokens = tx.current().withProfile(next);
      tx.write(withTokens);
      tx.flush();
      AgentSnapshot written =
          withTokens.withState(withTokens.state().withRefreshInFlight(id, null));
      tx.write(written);
      tx.flush();
      LifecycleEvent e = event(Type.REFRESHED, next, "refreshed");
      return new Outcome(Result.REFRESHED, next, written, List.of(e), null, null, r.lifetime());
    } catch (TokenEndpointException e) {
      return failed(tx, cur, p, used, e);
    }
  }

  private boolean needed(Credential.OAuth stored) {
    Duration lifetime = lifetimes.of(key, stored);
    return switch (mode) {
      case SERVE -> !Freshness.servable(stored.expires(), lifetime, now);
      case FORCE ->
          stored.access().sameAs(sawAccess) || !Freshness.servable(stored.expires(), lifetime, now);
      case PROACTIVE ->
          now
              >= Freshness.refreshAt(
                  stored.expires(), lifetime, () -> Lifetimes.jitter(key, stored.expires()));
      case RECOVER -> false;
    };
  }

  private Outcome failed(
      AgentTx tx, AgentSnapshot before, Profile p, Secret used, TokenEndpointException e) {
    AgentSnapshot cleared =
        before.withState(before.state().withRefreshInFlight(key.profile(), null));
    if (e.kind() == TokenEndpointException.Kind.INVALID_GRANT) {
      // We hold the lock and re-read under it: a refresh token different from the one we used means
      // another writer rotated it (e.g. a login); that credential is the one to use.
      Profile stored = cleared.profile(key.profile());
      Predicate<Profile> rotated =
          s -> s.credential() instanceof Credential.OAuth so && !used.sameAs(so.refresh());
      if (stored != null && rotated.test(stored)) {
        tx.write(cleared);
        return new Outcome(Result.STORED, stored, cleared, List.of(), null, null, null);
      }
      String reason =
          "the provider rejected the refresh token"
              + (e.oauthError() == null ? "" : ": " + e.oauthError());
      return reauth(tx, cleared, p, reason);
    }
    tx.write(cleared);
    LifecycleEvent ev = event(Type.REFRESH_FAILED, p, e.getMessage());
    return new Outcome(Result.TRANSIENT, p, cleared, List.of(ev), null, e, null);
  }

  private Outcome reauth(AgentTx tx, AgentSnapshot cur, Profile p, String reason) {
    AgentSnapshot marked =
        cur.withState(
            cur.state()
                .withRefreshInFlight(p.id(), null)
                .withReauth(p.id(), new ReauthMark(reason, now)));
    tx.write(marked);
    return Outcome.failed(
        RefreshException.reauth(key.agent(), p.id(), reason),
        marked,
        List.of(event(Type.REAUTH_REQUIRED, p, reason)));
  }

  private LifecycleEvent event(Type type, Profile p, String reason) {
    return LifecycleEvent.of(
        type,
        key.agent(),
        p.id(),
        p.provider(),
        p.credential().expiresAt(),
        Instant.ofEpochMilli(now),
        reason);
  }
}
