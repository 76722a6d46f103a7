package dev.tokensink.broker;

import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.SecretRef;
import dev.tokensink.routing.CredentialCheck;
import dev.tokensink.routing.Unusable;
import dev.tokensink.store.SecretRefs;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves {@code keyRef}/{@code tokenRef} secrets off the request path: whenever a snapshot enters
 * the cache and on every scheduler tick (so a rotated Kubernetes Secret file is picked up), never
 * while serving. The serving path only reads {@link #cached}.
 */
public final class RefResolver {
  private final Map<String, String> env;
  private final Path stateDir;
  private final Map<SecretRef, SecretRefs.Resolution> resolved = new ConcurrentHashMap<>();

  public RefResolver(Map<String, String> env, Path stateDir) {
    this.env = Map.copyOf(env);
    this.stateDir = stateDir;
  }

  /** Resolves every ref of the snapshot (file I/O: call from a worker or store thread). */
  public void resolveAll(AgentSnapshot snapshot) {
    for (Profile p : snapshot.profiles().values()) {
      SecretRef ref = refOf(p);
      if (ref != null) {
        resolved.put(ref, SecretRefs.resolve(ref, env, stateDir));
      }
    }
  }

  public void resolveAll(Collection<AgentSnapshot> snapshots) {
    snapshots.forEach(this::resolveAll);
  }

  /** The cached resolution, or null when this ref was never resolved. No I/O. */
  public SecretRefs.Resolution cached(SecretRef ref) {
    return resolved.get(ref);
  }

  /** Routing check: a profile whose ref does not resolve is unusable, with the reason. */
  public CredentialCheck check() {
    return (p, state, now) -> {
      SecretRef ref = refOf(p);
      if (ref == null || p.credential().secret() != null) {
        return null;
      }
      SecretRefs.Resolution r = resolved.get(ref);
      if (r == null) {
        return new Unusable(
            Unusable.Kind.SECRET_MISSING, "secret ref " + ref + " is not resolved yet");
      }
      return r.resolved() ? null : new Unusable(Unusable.Kind.SECRET_MISSING, r.unresolvedReason());
    };
  }

  static SecretRef refOf(Profile p) {
    Credential c = p.credential();
    if (c instanceof Credential.ApiKey k) {
      return k.keyRef();
    }
    if (c instanceof Credential.Token t) {
      return t.tokenRef();
    }
    return null;
  }
}
