package dev.tokensink.metrics;

import dev.tokensink.cache.AgentCache;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.ProfileType;
import dev.tokensink.model.ProviderId;
import dev.tokensink.oauth.Providers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code tokensink_credentials_served_total{agent, provider, type, code}}: GetCredential answers.
 *
 * <p>Hot path: a served credential costs two map reads and an array read to find its pre-registered
 * counter, then one increment; no tag objects are built after the first call per (agent, provider,
 * type). Labels stay bounded: a served credential's agent and provider are stored data; a failed
 * request's agent and provider are used only when the agent is cached and has that provider (or the
 * provider is a known OAuth provider), else {@code unknown}, so arbitrary request strings never
 * become series. Session ids are never labels.
 */
public final class CredentialMetrics {
  static final String NAME = "tokensink.credentials.served";
  static final String UNKNOWN = "unknown";

  private static final ProfileType[] TYPES = ProfileType.values();

  private record Failure(String agent, String provider, String code) {}

  private final MeterRegistry registry;
  private final AgentCache cache;
  private final Providers providers;
  private final Map<AgentId, Map<ProviderId, Counter[]>> served = new ConcurrentHashMap<>();
  private final Map<Failure, Counter> failed = new ConcurrentHashMap<>();

  public CredentialMetrics(MeterRegistry registry, AgentCache cache, Providers providers) {
    this.registry = registry;
    this.cache = cache;
    this.providers = providers;
  }

  /** A credential was served (status OK). */
  public void served(AgentId agent, ProviderId provider, ProfileType type) {
    Map<ProviderId, Counter[]> byProvider = served.get(agent);
    Counter[] byType = byProvider == null ? null : byProvider.get(provider);
    Counter c = byType == null ? null : byType[type.ordinal()];
    if (c == null) {
      c = register(agent, provider, type);
    }
    c.increment();
  }

  private Counter register(AgentId agent, ProviderId provider, ProfileType type) {
    Counter[] byType =
        served
            .computeIfAbsent(agent, a -> new ConcurrentHashMap<>())
            .computeIfAbsent(provider, p -> new Counter[TYPES.length]);
    Counter c =
        counter(
            agent.value(), provider.value(), type.name().toLowerCase(java.util.Locale.ROOT), "OK");
    byType[type.ordinal()] = c; // racing writers store the same registered counter
    return c;
  }

  /**
   * A request failed with gRPC status {@code code}; {@code agent} and {@code provider} are the
   * request's raw fields (empty agent = {@code defaultAgent}).
   */
  public void failed(String agent, String provider, String defaultAgent, String code) {
    String a = UNKNOWN;
    String p = UNKNOWN;
    AgentSnapshot snapshot = known(agent.isEmpty() ? defaultAgent : agent);
    if (snapshot != null) {
      a = snapshot.agent().value();
    }
    if (knownProvider(snapshot, provider)) {
      p = provider;
    }
    failed
        .computeIfAbsent(
            new Failure(a, p, code), f -> counter(f.agent(), f.provider(), "none", f.code()))
        .increment();
  }

  private AgentSnapshot known(String agent) {
    try {
      AgentCache.Entry e = cache.peek(AgentId.of(agent));
      return e == null ? null : e.snapshot();
    } catch (RuntimeException invalid) {
      return null;
    }
  }

  private boolean knownProvider(AgentSnapshot snapshot, String provider) {
    try {
      if (providers.find(provider).isPresent()) {
        return true;
      }
      return snapshot != null && !snapshot.profilesOf(ProviderId.of(provider)).isEmpty();
    } catch (RuntimeException invalid) {
      return false;
    }
  }

  private Counter counter(String agent, String provider, String type, String code) {
    return Counter.builder(NAME)
        .description(
            "GetCredential answers by agent, provider, credential type and gRPC status code")
        .tags("agent", agent, "provider", provider, "type", type, "code", code)
        .register(registry);
  }
}
