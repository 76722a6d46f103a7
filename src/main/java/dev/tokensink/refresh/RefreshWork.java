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
import dev.tokensink.oauth.TokenEndpointException;
import dev.tokensink.oauth.TokenResponse;
import dev.tokensink.refresh.Outcome.Result;
import dev.tokensink.store.CredentialStore.AgentTx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One refresh of one profile, run by the holder of its refresh lease (docs/rules.md §2, §7). The
 * agent lock is taken only for short steps that read and write the store; the token call runs
 * between them, holding the lease alone, so other writers of the agent are never kept waiting by a
 * provider. It is the only code that calls the token endpoint for a refresh, and it writes the
 * "refresh in flight" marker durably before every call.
 *
 * <p>A lost answer (sent, no answer) leaves the marker: the token's fate is unknown and the token
 * is never replayed on a guess. Only introspection saying it is still active, or the provider's
 * refresh grace, allows one more call; otherwise the profile needs a new login. Runs on a worker
 * thread; blocks on the network. Not thread-safe: one instance per flight.
 */
final class RefreshWork {
  static final String LOST_REASON =
      "the provider did not answer a refresh; its refresh token was not replayed";
  static final String INACTIVE_REASON =
      "the provider did not answer a refresh and its introspection says the refresh token is no"
          + " longer active; it was not replayed";

  /** The first step's decision: an outcome, or the call to make. */
  private record Begin(Outcome outcome, Secret used, Long orphanSince) {}

  private final ProfileKey key;
  private final RefreshMode mode;
  private final Secret sawAccess;
  private final Steps steps;
  private final List<LifecycleEvent> events = new ArrayList<>();
  private ProviderSettings provider;
  private AgentSnapshot persisted;
  private AgentSnapshot seen;
  private boolean answerLost;

  /** What the work needs from its flight: store, client, clock, lifetimes, the call counter. */
  interface Steps {
    <T> T underAgentLock(dev.tokensink.store.CredentialStore.AgentWork<T> work);

    TokenResponse refresh(ProviderSettings p, Secret token) throws TokenEndpointException;

    boolean introspect(ProviderSettings p, Secret token) throws TokenEndpointException;

    ProviderSettings provider(String id);

    Duration lifetime(Credential.OAuth stored);

    long now();
  }

  RefreshWork(ProfileKey key, RefreshMode mode, Secret sawAccess, Steps steps) {
    this.key = key;
    this.mode = mode;
    this.sawAccess = sawAccess;
    this.steps = steps;
  }

  Outcome run() {
    Begin b = steps.underAgentLock(this::begin);
    if (b.outcome() != null) {
      return b.outcome();
    }
    Secret used = b.used();
    long since = b.orphanSince() == null ? steps.now() : b.orphanSince();
    // A marker found with its lease free was left by a holder that died mid-call (docs/rules.md
    // §2).
    String unknown = b.orphanSince() == null ? null : Rotation.CRASH_REASON;
    boolean graceUsed = false;
    int sends = 0;
    while (true) {
      if (unknown != null) {
        // The token's fate is unknown: ask the provider, else its grace, else a person.
        if (provider.introspectionUrl() != null) {
          if (sends >= 2) {
            return keepMarker(used, "two answers in a row were lost");
          }
          try {
            if (!steps.introspect(provider, used)) {
              String reason = Rotation.CRASH_REASON.equals(unknown) ? unknown : INACTIVE_REASON;
              return steps.underAgentLock(tx -> reauth(tx, reason));
            }
          } catch (TokenEndpointException e) {
            return keepMarker(used, "its introspection failed: " + e.getMessage());
          }
        } else if (!graceUsed
            && Rotation.mayRetryAfterCrash(since, provider.refreshGrace(), steps.now())) {
          graceUsed = true;
        } else {
          String reason = unknown;
          return steps.underAgentLock(tx -> reauth(tx, reason));
        }
        since = steps.now();
        long at = since;
        steps.underAgentLock(tx -> writeMarker(tx, at));
      }
      sends++;
      try {
        TokenResponse answer = steps.refresh(provider, used);
        return steps.underAgentLock(tx -> persist(tx, used, answer));
      } catch (TokenEndpointException e) {
        switch (e.kind()) {
          case INVALID_GRANT -> {
            return steps.underAgentLock(tx -> invalidGrant(tx, used, e));
          }
          case ANSWER_LOST -> {
            answerLost = true;
            unknown = LOST_REASON;
            events.add(
                event(
                    Type.REFRESH_FAILED,
                    current(),
                    "the refresh answer was lost ("
                        + e.getMessage()
                        + "); the refresh token was not replayed"));
          }
          default -> {
            return steps.underAgentLock(tx -> retryLater(tx, e));
          }
        }
      }
    }
  }

  private Begin begin(AgentTx tx) {
    AgentSnapshot cur = tx.current();
    seen = cur;
    ProfileId id = key.profile();
    Profile p = cur.profile(id);
    if (p == null) {
      return new Begin(Outcome.failed(notFound(), null, List.of()), null, null);
    }
    if (!(p.credential() instanceof Credential.OAuth o)) {
      return new Begin(Outcome.stored(p), null, null);
    }
    // The credential's own provider field decides its provider (docs/rules.md §1).
    provider = steps.provider(p.provider().value());
    if (provider == null) {
      return new Begin(Outcome.failed(notConfigured(p), null, List.of()), null, null);
    }
    ReauthMark mark = cur.state().reauth().get(id);
    if (mark != null) {
      return new Begin(
          Outcome.failed(RefreshException.reauth(key.agent(), id, mark.reason()), null, List.of()),
          null,
          null);
    }
    Long since = cur.state().refreshInFlight().get(id);
    if (since != null) {
      // We hold the lease, so no live refresh is between this marker and its result: its holder
      // died (or gave up after a lost answer). Its refresh token may be spent.
      return o.refresh() == null || o.refresh().isBlank()
          ? new Begin(reauth(tx, "no refresh token stored"), null, null)
          : new Begin(null, o.refresh(), since);
    }
    if (!needed(o)) {
      return new Begin(Outcome.stored(p), null, null);
    }
    if (o.refresh() == null || o.refresh().isBlank()) {
      return new Begin(reauth(tx, "no refresh token stored"), null, null);
    }
    // Durability: the marker is on disk before the request leaves, so a crash between the
    // provider's answer and our write is found later instead of silently replaying a spent token.
    writeMarker(tx, steps.now());
    return new Begin(null, o.refresh(), null);
  }

  private Void writeMarker(AgentTx tx, long since) {
    AgentSnapshot cur = tx.current();
    AgentSnapshot marked = cur.withState(cur.state().withRefreshInFlight(key.profile(), since));
    write(tx, marked);
    tx.flush();
    return null;
  }

  private boolean needed(Credential.OAuth stored) {
    Duration lifetime = steps.lifetime(stored);
    long now = steps.now();
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

  /** The answer to our request is authoritative for the token we sent, unless it was replaced. */
  private Outcome persist(AgentTx tx, Secret used, TokenResponse answer) {
    AgentSnapshot cur = tx.current();
    ProfileId id = key.profile();
    AgentSnapshot cleared = cur.withState(cur.state().withRefreshInFlight(id, null));
    Profile p = cur.profile(id);
    if (p == null) {
      write(tx, cleared); // removed meanwhile (logout): the new tokens are dropped with it
      return Outcome.failed(notFound(), persisted, events);
    }
    if (!(p.credential() instanceof Credential.OAuth so) || !used.sameAs(so.refresh())) {
      write(tx, cleared); // replaced meanwhile (a login): that credential is the one to use
      return new Outcome(Result.STORED, p, persisted, events, null, null, null, answerLost);
    }
    Rotation.Rotated r = Rotation.apply(so, answer, steps.now());
    Profile next = p.withCredential(r.credential());
    // Two durable steps, tokens first: a store may write profiles and state in separate files, and
    // a crash after "marker cleared" but before "new tokens" would leave a spent refresh token
    // without a marker. Crashing between the steps leaves the new tokens with the marker: fail
    // closed (re-auth), never a replay.
    AgentSnapshot withTokens = cur.withProfile(next);
    tx.write(withTokens);
    tx.flush();
    // A re-login mark set meanwhile (a replica that took our lease while we stalled) is lifted:
    // the answer carries the grant's only valid refresh token.
    write(
        tx,
        withTokens.withState(
            withTokens.state().withRefreshInFlight(id, null).withReauth(id, null)));
    tx.flush();
    events.add(event(Type.REFRESHED, next, "refreshed"));
    return new Outcome(
        Result.REFRESHED, next, persisted, events, null, null, r.lifetime(), answerLost);
  }

  private Outcome invalidGrant(AgentTx tx, Secret used, TokenEndpointException e) {
    AgentSnapshot cur = tx.current();
    AgentSnapshot cleared = cur.withState(cur.state().withRefreshInFlight(key.profile(), null));
    // Re-read under the lock: a refresh token different from the one we used means another writer
    // replaced it (e.g. a login); that credential is the one to use.
    Profile stored = cleared.profile(key.profile());
    if (stored != null
        && stored.credential() instanceof Credential.OAuth so
        && !used.sameAs(so.refresh())) {
      write(tx, cleared);
      return new Outcome(Result.STORED, stored, persisted, events, null, null, null, answerLost);
    }
    return reauth(
        tx,
        "the provider rejected the refresh token"
            + (e.oauthError() == null ? "" : ": " + e.oauthError()));
  }

  /** No tokens were issued (not sent, or an error answer): the same token may be tried again. */
  private Outcome retryLater(AgentTx tx, TokenEndpointException e) {
    AgentSnapshot cur = tx.current();
    write(tx, cur.withState(cur.state().withRefreshInFlight(key.profile(), null)));
    Profile p = cur.profile(key.profile());
    if (p != null) {
      events.add(event(Type.REFRESH_FAILED, p, e.getMessage()));
    }
    Result r =
        e.kind() == TokenEndpointException.Kind.NOT_SENT ? Result.NOT_SENT : Result.TRANSIENT;
    return new Outcome(r, p, persisted, events, null, e.getMessage(), null, answerLost);
  }

  /** The token's fate stays unknown: the marker stays, so nobody replays it; asked again later. */
  private Outcome keepMarker(Secret used, String why) {
    String reason =
        "the refresh answer was lost and " + why + "; the refresh token was not replayed";
    Profile p = current();
    events.add(event(Type.REFRESH_FAILED, p, reason));
    return new Outcome(Result.ANSWER_LOST, p, persisted, events, null, reason, null, true);
  }

  private Outcome reauth(AgentTx tx, String reason) {
    AgentSnapshot cur = tx.current();
    ProfileId id = key.profile();
    write(
        tx,
        cur.withState(
            cur.state()
                .withRefreshInFlight(id, null)
                .withReauth(id, new ReauthMark(reason, steps.now()))));
    Profile p = cur.profile(id);
    if (p != null) {
      events.add(event(Type.REAUTH_REQUIRED, p, reason));
    }
    return new Outcome(
        Result.FAILED,
        null,
        persisted,
        events,
        RefreshException.reauth(key.agent(), id, reason),
        null,
        null,
        answerLost);
  }

  private void write(AgentTx tx, AgentSnapshot next) {
    tx.write(next);
    persisted = next;
    seen = next;
  }

  /** The profile as last seen by this flight, for events (no secret is ever read from it). */
  private Profile current() {
    return seen == null ? null : seen.profile(key.profile());
  }

  private RefreshException notFound() {
    return new RefreshException(
        RefreshException.Kind.NOT_FOUND,
        key.agent(),
        key.profile(),
        null,
        "profile "
            + key.profile()
            + " no longer exists in agent "
            + key.agent()
            + "; run `tokensink profiles list --agent "
            + key.agent()
            + " --json`",
        null);
  }

  private RefreshException notConfigured(Profile p) {
    return new RefreshException(
        RefreshException.Kind.UNAVAILABLE,
        key.agent(),
        key.profile(),
        null,
        "provider "
            + p.provider()
            + " of profile "
            + key.profile()
            + " is not configured for refresh; add tokensink.providers."
            + p.provider()
            + ".token-url",
        null);
  }

  private LifecycleEvent event(Type type, Profile p, String reason) {
    return LifecycleEvent.of(
        type,
        key.agent(),
        key.profile(),
        p == null ? key.profile().provider() : p.provider(),
        p == null ? null : p.credential().expiresAt(),
        Instant.ofEpochMilli(steps.now()),
        reason);
  }
}
