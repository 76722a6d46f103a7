package dev.tokensink.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.broker.RefResolver;
import dev.tokensink.cache.AgentCache;
import dev.tokensink.config.Settings;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProviderId;
import dev.tokensink.model.Secret;
import dev.tokensink.model.SecretRef;
import dev.tokensink.model.UsageStats;
import dev.tokensink.refresh.RefreshCoordinator;
import dev.tokensink.routing.ProfileStatus;
import dev.tokensink.security.Caller;
import dev.tokensink.store.SecretRefs;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The status page's data (docs/api.md, "Status page"), built from the in-memory agent cache, the
 * refresh coordinator's schedule and the refresh history: no store I/O, no secret (only {@link
 * Secret#masked()}), no session id. States follow docs/rules.md §5, with {@code static} shown as
 * {@code ok} and {@code missing} (no usable secret) as {@code invalid}.
 */
public final class StatusView {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The states a profile can be in on the page, most urgent first. */
  public static final List<String> STATES =
      List.of("reauth_required", "invalid", "expired", "expiring", "disabled", "cooldown", "ok");

  /**
   * What a reader asked for; null fields mean "all".
   *
   * @param agent one agent
   * @param provider one provider
   * @param state one of {@link #STATES}
   */
  public record Filter(AgentId agent, ProviderId provider, String state) {
    public static final Filter ALL = new Filter(null, null, null);

    boolean profile(Profile p, String profileState) {
      return (provider == null || provider.equals(p.provider()))
          && (state == null || state.equals(profileState));
    }
  }

  private final AgentCache cache;
  private final RefreshCoordinator coordinator;
  private final RefResolver refs;
  private final Settings settings;
  private final RefreshHistory history;
  private final Clock clock;

  public StatusView(
      AgentCache cache,
      RefreshCoordinator coordinator,
      RefResolver refs,
      Settings settings,
      RefreshHistory history,
      Clock clock) {
    this.cache = cache;
    this.coordinator = coordinator;
    this.refs = refs;
    this.settings = settings;
    this.history = history;
    this.clock = clock;
  }

  public long now() {
    return clock.millis();
  }

  /** Everything the caller may see, filtered. */
  public ObjectNode full(Caller caller, Filter filter) {
    long now = clock.millis();
    ObjectNode root = JSON.createObjectNode();
    root.put("now", now);
    root.put("replica", history.replica());
    root.put(
        "store",
        settings.store().backend() == Settings.Store.Backend.POSTGRES ? "postgres" : "file");
    root.put("caller", caller.id());
    root.put("historySize", history.capacity());
    ArrayNode states = root.putArray("states");
    STATES.forEach(states::add);
    ArrayNode agents = root.putArray("agents");
    List<AgentSnapshot> snapshots =
        cache.snapshots().stream()
            .filter(s -> caller.mayUse(s.agent()))
            .filter(s -> filter.agent() == null || filter.agent().equals(s.agent()))
            .sorted(Comparator.comparing(AgentSnapshot::agent))
            .toList();
    for (AgentSnapshot s : snapshots) {
      ObjectNode a = agent(s, now, filter);
      if (a.withArray("profiles").isEmpty()
          && (filter.provider() != null || filter.state() != null)) {
        continue;
      }
      agents.add(a);
    }
    cache
        .errors()
        .forEach(
            (id, why) -> {
              if (caller.mayUse(id)
                  && (filter.agent() == null || filter.agent().equals(id))
                  && (filter.state() == null || filter.state().equals("invalid"))
                  && filter.provider() == null) {
                agents.add(unreadable(id, why));
              }
            });
    ArrayNode h = root.putArray("history");
    for (RefreshHistory.Entry e :
        history.since(
            0, a -> caller.mayUse(a) && (filter.agent() == null || filter.agent().equals(a)))) {
      if (filter.provider() == null || filter.provider().equals(e.profile().provider())) {
        h.add(entry(e));
      }
    }
    return root;
  }

  /** One agent as the page shows it; a removed agent as {@code {id, removed: true}}. */
  public ObjectNode agent(AgentId id) {
    AgentCache.Entry e = cache.peek(id);
    if (e == null || (e.snapshot() == null && e.error() == null)) {
      ObjectNode gone = JSON.createObjectNode();
      gone.put("id", id.value());
      gone.put("removed", true);
      return gone;
    }
    if (e.snapshot() == null) {
      return unreadable(id, e.error().getMessage());
    }
    return agent(e.snapshot(), clock.millis(), Filter.ALL);
  }

  private ObjectNode unreadable(AgentId id, String why) {
    ObjectNode a = JSON.createObjectNode();
    a.put("id", id.value());
    a.put("error", why);
    a.putArray("profiles");
    a.putObject("order");
    ObjectNode fix = a.putObject("fix");
    fix.put("text", "The agent's stored data cannot be read: " + why);
    fix.put("command", "tokensink doctor");
    return a;
  }

  ObjectNode agent(AgentSnapshot s, long now, Filter filter) {
    ObjectNode a = JSON.createObjectNode();
    a.put("id", s.agent().value());
    ObjectNode order = a.putObject("order");
    s.order().forEach((provider, ids) -> ids(order.putArray(provider), ids));
    ObjectNode configured = a.putObject("configuredOrder");
    Set<String> providers = new java.util.TreeSet<>();
    s.profiles().values().forEach(p -> providers.add(p.provider().value()));
    for (String provider : providers) {
      List<String> ids = settings.auth().order().get(provider);
      if (ids != null && !ids.isEmpty()) {
        ArrayNode arr = configured.putArray(provider);
        ids.forEach(arr::add);
      }
    }
    ArrayNode profiles = a.putArray("profiles");
    for (Profile p : s.profiles().values()) {
      ObjectNode o = profile(s, p, now);
      if (filter.profile(p, o.get("state").asText())) {
        profiles.add(o);
      }
    }
    return a;
  }

  private static void ids(ArrayNode arr, List<ProfileId> ids) {
    ids.forEach(id -> arr.add(id.toString()));
  }

  private ObjectNode profile(AgentSnapshot s, Profile p, long now) {
    Credential c = p.credential();
    SecretRef ref = ref(c);
    String unresolved = null;
    Secret shown = c.secret();
    if (shown == null && ref != null) {
      SecretRefs.Resolution r = refs.cached(ref);
      if (r == null) {
        unresolved = "secret ref " + ref + " is not resolved yet";
      } else if (r.secret() == null) {
        unresolved = "secret ref " + ref + " unresolved: " + r.unresolvedReason();
      } else {
        shown = r.secret();
      }
    }
    ProfileStatus st = ProfileStatus.of(p, s.state(), now, unresolved == null);
    String state = state(st.kind());
    String reason = unresolved != null ? unresolved : st.detail();
    ObjectNode o = JSON.createObjectNode();
    o.put("id", p.id().toString());
    o.put("provider", p.provider().value());
    o.put("type", p.type().json());
    String account =
        c instanceof Credential.OAuth oa && oa.accountId() != null ? oa.accountId() : p.email();
    if (account == null) {
      account = p.displayName();
    }
    putNullable(o, "account", account);
    o.put("secret", shown == null ? "(none)" : shown.masked());
    if (ref != null) {
      o.put("secretRef", ref.source());
    }
    o.put("state", state);
    putNullable(o, "reason", reason);
    putNullable(o, "expiresAt", c.expiresAt());
    RefreshCoordinator.Schedule sched = coordinator.schedule(s.agent(), p);
    if (sched != null && !s.state().reauth().containsKey(p.id())) {
      o.put("issuedAt", sched.issuedAtMs());
      o.put("refreshAt", sched.refreshAtMs());
    }
    UsageStats u = s.state().usage(p.id());
    if (u.inCooldown(now)) {
      ObjectNode w = o.putObject("cooldown");
      w.put("until", u.cooldownUntil());
      putNullable(w, "reason", u.cooldownReason());
      putNullable(w, "model", u.cooldownModel());
    }
    if (u.disabled(now)) {
      ObjectNode w = o.putObject("disabled");
      w.put("until", u.disabledUntil());
      putNullable(w, "reason", u.disabledReason());
    }
    putNullable(o, "lastUsed", u.lastUsed());
    Long until = st.blockedUntilMs();
    Fix fix =
        Fix.of(
            s.agent(),
            p,
            state,
            reason,
            until == null ? "" : Instant.ofEpochMilli(until).toString());
    if (fix != null) {
      ObjectNode f = o.putObject("fix");
      f.put("text", fix.text());
      putNullable(f, "command", fix.command());
    }
    return o;
  }

  static String state(ProfileStatus.Kind kind) {
    return switch (kind) {
      case OK, STATIC -> "ok";
      case MISSING -> "invalid";
      default -> kind.json();
    };
  }

  private static SecretRef ref(Credential c) {
    if (c instanceof Credential.ApiKey k) {
      return k.keyRef();
    }
    if (c instanceof Credential.Token t) {
      return t.tokenRef();
    }
    return null;
  }

  ObjectNode entry(RefreshHistory.Entry e) {
    ObjectNode o = JSON.createObjectNode();
    o.put("seq", e.seq());
    o.put("at", e.atMs());
    o.put("agent", e.agent().value());
    o.put("profile", e.profile().toString());
    o.put("mode", e.mode());
    o.put("result", e.result());
    putNullable(o, "durationMs", e.durationMs());
    o.put("replica", e.replica());
    return o;
  }

  private static void putNullable(ObjectNode o, String k, Object v) {
    if (v == null) {
      o.putNull(k);
    } else if (v instanceof Long l) {
      o.put(k, l);
    } else {
      o.put(k, v.toString());
    }
  }
}
