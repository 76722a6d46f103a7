package dev.tokensink.events;

import dev.tokensink.events.LifecycleEvent.Type;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ReauthMark;
import dev.tokensink.model.Secret;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns a change of an agent's cached snapshot (by this process or, through the store's change
 * notification, by another process or replica) into lifecycle events, so that every process's
 * subscribers see every change: PROFILE_ADDED, PROFILE_REMOVED, REFRESHED (the served secret or its
 * expiry changed), REAUTH_REQUIRED (a re-auth mark appeared), and COOLDOWN_STARTED / COOLDOWN_ENDED
 * (a cooldown or disabled window appeared or was cleared; see {@link EventHub#windowsChanged}).
 *
 * <p>Called by the cache on whatever thread applies the update; stateless apart from the hub. The
 * first load of an agent ({@code previous == null}) emits nothing: start-up is not a change.
 */
public final class ChangeDetector {
  private final EventHub hub;
  private final Clock clock;

  public ChangeDetector(EventHub hub, Clock clock) {
    this.hub = hub;
    this.clock = clock;
  }

  /** Publishes the events between two snapshots of one agent; {@code next == null}: agent gone. */
  public void changed(AgentSnapshot previous, AgentSnapshot next) {
    diff(previous, next, clock.instant()).forEach(hub::publish);
    hub.windowsChanged(previous, next);
  }

  /** The events between two snapshots of one agent (pure). */
  public static List<LifecycleEvent> diff(AgentSnapshot previous, AgentSnapshot next, Instant now) {
    List<LifecycleEvent> out = new ArrayList<>();
    if (previous == null) {
      return out;
    }
    for (Profile old : previous.profiles().values()) {
      if (next == null || next.profile(old.id()) == null) {
        out.add(event(Type.PROFILE_REMOVED, previous, old, now, "profile removed"));
      }
    }
    if (next == null) {
      return out;
    }
    for (Profile p : next.profiles().values()) {
      Profile old = previous.profile(p.id());
      if (old == null) {
        out.add(event(Type.PROFILE_ADDED, next, p, now, "profile added"));
      } else if (replaced(old.credential(), p.credential())) {
        out.add(event(Type.REFRESHED, next, p, now, "credential replaced"));
      }
      ReauthMark mark = next.state().reauth().get(p.id());
      if (mark != null && !mark.equals(previous.state().reauth().get(p.id()))) {
        out.add(event(Type.REAUTH_REQUIRED, next, p, now, mark.reason()));
      }
    }
    return out;
  }

  private static boolean replaced(Credential a, Credential b) {
    Secret sa = a.secret();
    Secret sb = b.secret();
    boolean secretChanged = sa == null ? sb != null : !sa.sameAs(sb);
    return secretChanged || !Objects.equals(a.expiresAt(), b.expiresAt());
  }

  private static LifecycleEvent event(
      Type type, AgentSnapshot s, Profile p, Instant now, String reason) {
    ProfileId id = p.id();
    return LifecycleEvent.of(
        type, s.agent(), id, p.provider(), p.credential().expiresAt(), now, reason);
  }
}
