package dev.tokensink.broker;

import dev.tokensink.cache.AgentCache;
import dev.tokensink.cooldown.CooldownPolicy;
import dev.tokensink.cooldown.CooldownSettings;
import dev.tokensink.cooldown.Outcome;
import dev.tokensink.cooldown.Transition;
import dev.tokensink.cooldown.Usability;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProviderId;
import dev.tokensink.model.UsageStats;
import dev.tokensink.store.CredentialStore;
import dev.tokensink.store.StoreException;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Applies {@code ReportOutcome} to a profile's usage state (docs/rules.md §4). Failures are written
 * through at once under the agent lock, so every process and replica routes around the profile; an
 * {@code OK} for a healthy profile only records the use in memory (coalesced by {@link
 * UsageRecorder}). {@code AUTH_FAILED} on an OAuth profile first forces one refresh: if that yields
 * a new token the failure is not counted.
 */
public final class OutcomeRecorder {
  /** Forces one refresh of an OAuth profile whose access token the provider refused. */
  @FunctionalInterface
  public interface ForcedRefresh {
    Uni<Profile> refresh(AgentId agent, Profile refused);
  }

  private final CredentialStore store;
  private final AgentCache cache;
  private final UsageRecorder usage;
  private final Clock clock;
  private final CooldownSettings settings;
  private final ForcedRefresh forced;
  private final Consumer<OutcomeResult> published;
  private final Executor worker;
  private final Function<ProviderId, Optional<Profile>> envProfiles;

  public OutcomeRecorder(
      CredentialStore store,
      AgentCache cache,
      UsageRecorder usage,
      Clock clock,
      CooldownSettings settings,
      ForcedRefresh forced,
      Consumer<OutcomeResult> published,
      Executor worker) {
    this(store, cache, usage, clock, settings, forced, published, worker, p -> Optional.empty());
  }

  /**
   * @param envProfiles the {@code provider:env} pseudo-profile of each provider, if any: outcomes
   *     for it are recorded in the reporting agent's usage state (docs/rules.md §4)
   */
  public OutcomeRecorder(
      CredentialStore store,
      AgentCache cache,
      UsageRecorder usage,
      Clock clock,
      CooldownSettings settings,
      ForcedRefresh forced,
      Consumer<OutcomeResult> published,
      Executor worker,
      Function<ProviderId, Optional<Profile>> envProfiles) {
    this.envProfiles = envProfiles;
    this.store = store;
    this.cache = cache;
    this.usage = usage;
    this.clock = clock;
    this.settings = settings;
    this.forced = forced;
    this.published = published;
    this.worker = worker;
  }

  public Uni<OutcomeResult> report(
      AgentId agent, ProfileId id, Outcome outcome, java.time.Duration retryAfter, String model) {
    return Uni.createFrom()
        .item(() -> load(agent, id))
        .runSubscriptionOn(worker)
        .flatMap(
            profile -> {
              if (outcome == Outcome.AUTH_FAILED
                  && profile.credential() instanceof Credential.OAuth
                  && !refreshedBefore(agent, id)) {
                // docs/rules.md §4: one forced refresh; only an AUTH_FAILED on the refreshed token
                // counts as auth
                return forced
                    .refresh(agent, profile)
                    .flatMap(
                        p ->
                            Uni.createFrom()
                                .item(() -> markRefreshed(agent, id))
                                .runSubscriptionOn(worker))
                    .onFailure()
                    .recoverWithUni(
                        e ->
                            Uni.createFrom()
                                .item(() -> apply(agent, id, outcome, retryAfter, model))
                                .runSubscriptionOn(worker));
              }
              return Uni.createFrom()
                  .item(() -> apply(agent, id, outcome, retryAfter, model))
                  .runSubscriptionOn(worker);
            });
  }

  private boolean refreshedBefore(AgentId agent, ProfileId id) {
    AgentCache.Entry e = cache.peek(agent);
    return e != null
        && e.snapshot() != null
        && CooldownPolicy.authAlreadyRefreshed(e.snapshot().state().usage(id));
  }

  /** Records that a forced refresh answered this AUTH_FAILED (blocking; worker thread). */
  private OutcomeResult markRefreshed(AgentId agent, ProfileId id) {
    long now = clock.millis();
    AgentSnapshot written =
        store.update(
            agent,
            tx -> {
              AgentSnapshot cur = tx.current();
              if (cur.profile(id) == null) {
                return cur;
              }
              AgentSnapshot next =
                  cur.withState(
                      cur.state()
                          .withUsage(
                              id,
                              CooldownPolicy.refreshedAfterAuthFailure(
                                  cur.state().usage(id), now)));
              tx.write(next);
              return next;
            });
    cache.put(written);
    return current(agent, id, null, List.of());
  }

  private Profile load(AgentId agent, ProfileId id) {
    AgentCache.Entry e = cache.peek(agent);
    AgentSnapshot s =
        e != null
            ? e.require()
            : cache
                .load(agent)
                .orElseThrow(
                    () ->
                        BrokerException.notFound(
                            "unknown agent "
                                + agent
                                + "; create it with `tokensink agents add "
                                + agent
                                + "`"));
    Profile p = s.profile(id);
    if (p == null) {
      p = envProfile(id);
    }
    if (p == null) {
      throw BrokerException.notFound(
          "profile "
              + id
              + " does not exist in agent "
              + agent
              + "; profiles of "
              + id.provider()
              + ": "
              + s.profilesOf(id.provider()).stream().map(x -> x.id().toString()).toList());
    }
    return p;
  }

  private OutcomeResult apply(
      AgentId agent, ProfileId id, Outcome outcome, java.time.Duration retryAfter, String model) {
    long now = clock.millis();
    AgentSnapshot cached = cache.peek(agent) == null ? null : cache.peek(agent).snapshot();
    if (outcome == Outcome.OK && cached != null && healthy(cached.state().usage(id))) {
      usage.served(agent, id, true, now);
      return current(agent, id, model, List.of());
    }
    List<Transition>[] transitions = new List[1];
    AgentSnapshot written;
    try {
      written =
          store.update(
              agent,
              tx -> {
                AgentSnapshot cur = tx.current();
                if (cur.profile(id) == null && envProfile(id) == null) {
                  throw BrokerException.notFound(
                      "profile " + id + " was removed from agent " + agent);
                }
                AgentSnapshot next = applied(cur, id, outcome, retryAfter, model, now, transitions);
                tx.write(next);
                return next;
              });
    } catch (StoreException e) {
      if (e instanceof StoreException.LockTimeout || envProfile(id) == null || cached == null) {
        throw e;
      }
      // an env key on a state dir that cannot be written (read-only mount): the cooldown is
      // kept in memory only, until the next restart (docs/rules.md §4)
      written = applied(cached, id, outcome, retryAfter, model, now, transitions);
    }
    cache.put(written);
    OutcomeResult result = current(agent, id, model, transitions[0]);
    published.accept(result);
    return result;
  }

  private AgentSnapshot applied(
      AgentSnapshot cur,
      ProfileId id,
      Outcome outcome,
      java.time.Duration retryAfter,
      String model,
      long now,
      List<Transition>[] transitions) {
    Profile p = cur.profile(id) != null ? cur.profile(id) : envProfile(id);
    CooldownPolicy.Result r =
        CooldownPolicy.apply(
            cur.state().usage(id), outcome, p.type(), retryAfter, model, now, settings);
    transitions[0] = r.transitions();
    return cur.withState(cur.state().withUsage(id, r.stats()));
  }

  /** The env pseudo-profile {@code id} names, or null. */
  private Profile envProfile(ProfileId id) {
    if (!"env".equals(id.name())) {
      return null;
    }
    return envProfiles.apply(id.provider()).filter(p -> p.id().equals(id)).orElse(null);
  }

  private static boolean healthy(UsageStats u) {
    return u.errorCount() == 0
        && u.cooldownUntil() == null
        && u.disabledUntil() == null
        && u.models().isEmpty()
        && u.authRefreshedAt() == null;
  }

  /** The profile's state after the report, for {@code model} when one was named. */
  private OutcomeResult current(
      AgentId agent, ProfileId id, String model, List<Transition> transitions) {
    AgentCache.Entry e = cache.peek(agent);
    AgentSnapshot s = e == null ? null : e.snapshot();
    long now = clock.millis();
    if (s == null) {
      return new OutcomeResult(agent, id, "ok", null, transitions);
    }
    if (s.state().reauth().containsKey(id)) {
      return new OutcomeResult(agent, id, "reauth_required", null, transitions);
    }
    UsageStats u = s.state().usage(id);
    Long until = Usability.usableAt(u, model, now);
    String state =
        until == null
            ? "ok"
            : u.disabledUntil() != null && u.disabledUntil() > now ? "disabled" : "cooldown";
    return new OutcomeResult(agent, id, state, until, transitions);
  }
}
