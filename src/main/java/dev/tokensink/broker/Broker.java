package dev.tokensink.broker;

import dev.tokensink.cache.AgentCache;
import dev.tokensink.config.Settings;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProviderId;
import dev.tokensink.model.Secret;
import dev.tokensink.routing.Choice;
import dev.tokensink.routing.ConfiguredOrder;
import dev.tokensink.routing.CredentialCheck;
import dev.tokensink.routing.ProfileOverride;
import dev.tokensink.routing.RouteRequest;
import dev.tokensink.routing.Router;
import dev.tokensink.routing.RoutingException;
import dev.tokensink.routing.SessionPins;
import dev.tokensink.routing.Source;
import dev.tokensink.routing.Unusable;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Serves {@code GetCredential}: validates the request, chooses a profile from the cached snapshot,
 * makes it fresh, and records the use.
 *
 * <p>Threading: callable from a Vert.x event loop. A request for a cached agent whose chosen
 * credential is valid completes synchronously: no I/O, no lock, no thread hop. Loading an agent
 * that is not cached and refreshing run on {@code worker}; the {@link Refresher} moves its own I/O.
 */
public final class Broker {
  private final AgentCache cache;
  private final Settings settings;
  private final Clock clock;
  private final Function<ProviderId, Optional<Profile>> envProfiles;
  private final RefResolver refs;
  private final Router router;
  private final SessionPins pins;
  private final Refresher refresher;
  private final UsageRecorder usage;
  private final ProbeClaims probes;
  private final ConfiguredOrder order;
  private final Executor worker;

  public Broker(
      AgentCache cache,
      Settings settings,
      Clock clock,
      Function<ProviderId, Optional<Profile>> envProfiles,
      RefResolver refs,
      Router router,
      SessionPins pins,
      Refresher refresher,
      UsageRecorder usage,
      ProbeClaims probes,
      ConfiguredOrder order,
      Executor worker) {
    this.cache = cache;
    this.settings = settings;
    this.clock = clock;
    this.envProfiles = envProfiles;
    this.refs = refs;
    this.router = router;
    this.pins = pins;
    this.refresher = refresher;
    this.usage = usage;
    this.probes = probes;
    this.order = order;
    this.worker = worker;
  }

  /**
   * The fast path of {@code GetCredential}: the answer when it can be given synchronously on the
   * calling thread (cached agent, a usable profile chosen without failover, its credential servable
   * now, its secret at hand), else null and no side effect; the caller then takes {@link
   * #getCredential}, which decides every other case (errors included) exactly as before. No I/O, no
   * lock, no Mutiny operator.
   */
  public Served serveNow(CredentialRequest r) {
    try {
      if (r.provider().isEmpty() || r.sessionId().length() > 256) {
        return null;
      }
      AgentId agent = r.agent().isEmpty() ? settings.defaultAgent() : AgentId.of(r.agent());
      AgentCache.Entry entry = cache.peek(agent);
      if (entry == null || entry.snapshot() == null) {
        return null;
      }
      AgentSnapshot snapshot = entry.snapshot();
      ProviderId provider = ProviderId.of(r.provider());
      ProfileOverride override = ProfileOverride.parse(r.override());
      long now = clock.millis();
      String session = r.sessionId().isEmpty() ? null : r.sessionId();
      ProfileId sticky =
          session == null ? null : pins.get(snapshot.agent(), provider, session).orElse(null);
      Choice choice =
          router.choose(
              new RouteRequest(
                  snapshot,
                  provider,
                  override,
                  sticky,
                  order.byProvider(),
                  envProfiles.apply(provider),
                  r.model(),
                  now));
      Profile p = choice.profile();
      if (choice.probe() || !refresher.servableNow(snapshot.agent(), p)) {
        return null;
      }
      secretOf(p); // throws when unresolvable: the slow path then fails over exactly as before
      return served(snapshot.agent(), provider, p, choice, session, now);
    } catch (RuntimeException e) {
      return null;
    }
  }

  public Uni<Served> getCredential(CredentialRequest r) {
    try {
      AgentId agent = r.agent().isEmpty() ? settings.defaultAgent() : AgentId.of(r.agent());
      if (r.provider().isEmpty()) {
        throw BrokerException.invalid("provider is required, e.g. anthropic or openai-codex");
      }
      ProviderId provider = ProviderId.of(r.provider());
      ProfileOverride override = ProfileOverride.parse(r.override());
      if (r.sessionId().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 256) {
        throw BrokerException.invalid("session_id is longer than 256 bytes");
      }
      AgentCache.Entry entry = cache.peek(agent);
      if (entry != null) {
        return serve(entry.require(), provider, override, r, Set.of(), false);
      }
      return Uni.createFrom()
          .item(() -> cache.load(agent))
          .runSubscriptionOn(worker)
          .flatMap(
              s ->
                  serve(
                      s.orElseThrow(() -> unknownAgent(agent)),
                      provider,
                      override,
                      r,
                      Set.of(),
                      false));
    } catch (RuntimeException e) {
      return Uni.createFrom().failure(translate(e));
    }
  }

  private Uni<Served> serve(
      AgentSnapshot snapshot,
      ProviderId provider,
      ProfileOverride override,
      CredentialRequest r,
      Set<ProfileId> failed,
      boolean probeLost) {
    AgentId agent = snapshot.agent();
    long now = clock.millis();
    String session = r.sessionId().isEmpty() ? null : r.sessionId();
    ProfileId sticky = session == null ? null : pins.get(agent, provider, session).orElse(null);
    RouteRequest route =
        new RouteRequest(
            snapshot,
            provider,
            override,
            sticky,
            order.byProvider(),
            envProfiles.apply(provider),
            r.model(),
            now);
    Choice choice;
    try {
      choice = routerExcluding(failed).choose(route);
      if (choice.probe() && probeLost) {
        // the probe was open again after a lost claim (clock moved): leave the profile to others
        Set<ProfileId> next = new HashSet<>(failed);
        next.add(choice.profile().id());
        choice = routerExcluding(next).choose(route);
      }
    } catch (RoutingException e) {
      // After a failed refresh (failed non-empty) failOver reports that failure, not "re-login
      // required" for the profile it just excluded: it needs the routing error untranslated.
      return Uni.createFrom().failure(failed.isEmpty() ? translate(e) : e);
    } catch (RuntimeException e) {
      return Uni.createFrom().failure(translate(e));
    }
    Profile profile = choice.profile();
    if (choice.probe() && choice.source() != Source.ENV) {
      // docs/rules.md §4: one request per probe interval may use a usage-limited profile; the
      // claim is stored, so across threads, processes and replicas exactly one wins
      final Choice probing = choice;
      return Uni.createFrom()
          .item(() -> probes.claim(agent, profile.id()))
          .runSubscriptionOn(worker)
          .flatMap(
              won ->
                  won
                      ? deliver(agent, provider, override, r, failed, probing, now)
                      : serve(cache.peek(agent).require(), provider, override, r, failed, true));
    }
    return deliver(agent, provider, override, r, failed, choice, now);
  }

  private Uni<Served> deliver(
      AgentId agent,
      ProviderId provider,
      ProfileOverride override,
      CredentialRequest r,
      Set<ProfileId> failed,
      Choice choice,
      long now) {
    String session = r.sessionId().isEmpty() ? null : r.sessionId();
    Profile profile = choice.profile();
    Uni<Profile> fresh =
        profile.credential() instanceof Credential.OAuth
            ? refresher.ensureFresh(agent, profile)
            : Uni.createFrom().item(profile);
    return fresh
        .map(p -> served(agent, provider, p, choice, session, now))
        .onFailure(e -> choice.source() != Source.OVERRIDE && failed.size() < 8)
        .recoverWithUni(e -> failOver(agent, provider, override, r, failed, profile.id(), e));
  }

  private Uni<Served> failOver(
      AgentId agent,
      ProviderId provider,
      ProfileOverride override,
      CredentialRequest r,
      Set<ProfileId> failed,
      ProfileId broken,
      Throwable cause) {
    AgentCache.Entry entry = cache.peek(agent);
    if (entry == null || entry.snapshot() == null) {
      return Uni.createFrom().failure(cause);
    }
    Set<ProfileId> next = new HashSet<>(failed);
    next.add(broken);
    return serve(entry.snapshot(), provider, override, r, next, false)
        .onFailure()
        .transform(e -> e instanceof RoutingException ? cause : e);
  }

  private Served served(
      AgentId agent, ProviderId provider, Profile p, Choice choice, String session, long now) {
    Secret secret = secretOf(p);
    boolean stored = choice.source() != Source.ENV;
    if (session != null && stored) {
      pins.put(agent, provider, session, p.id());
    }
    usage.served(agent, p.id(), stored, now);
    String account = p.credential() instanceof Credential.OAuth o ? o.accountId() : null;
    return new Served(
        agent, p, secret, p.credential().expiresAt(), account, choice.overrideModel());
  }

  private Secret secretOf(Profile p) {
    Secret s = p.credential().secret();
    if (s != null) {
      return s;
    }
    var resolution = refs.cached(RefResolver.refOf(p));
    if (resolution == null || !resolution.resolved()) {
      throw new BrokerException(
          BrokerException.Code.FAILED_PRECONDITION,
          "the secret of "
              + p.id()
              + " cannot be resolved: "
              + (resolution == null ? "not resolved yet" : resolution.unresolvedReason()));
    }
    return resolution.secret();
  }

  private Router routerExcluding(Set<ProfileId> failed) {
    if (failed.isEmpty()) {
      return router;
    }
    return router.withExtraCheck(
        (p, s, now) ->
            failed.contains(p.id())
                ? new Unusable(Unusable.Kind.REAUTH_REQUIRED, "its refresh just failed")
                : null);
  }

  private BrokerException unknownAgent(AgentId agent) {
    return BrokerException.notFound(
        "unknown agent "
            + agent
            + "; create it with `tokensink agents add "
            + agent
            + "` or log in with `tokensink models auth login --provider ID --agent "
            + agent
            + "`");
  }

  static RuntimeException translate(Throwable e) {
    if (e instanceof RoutingException re) {
      return new BrokerException(BrokerException.Code.valueOf(re.kind().name()), re.getMessage());
    }
    return e instanceof RuntimeException rt ? rt : new IllegalStateException(e);
  }

  /** For tests and the bench: the check that combines the standard rules and ref resolution. */
  public static CredentialCheck checks(RefResolver refs) {
    return CredentialCheck.STANDARD.and(refs.check());
  }
}
