package dev.tokensink.events;

import dev.tokensink.cooldown.Window;
import dev.tokensink.events.LifecycleEvent.Type;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.UsageStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code COOLDOWN_STARTED} and {@code COOLDOWN_ENDED} from the stored usage state (docs/rules.md
 * §4), so that windows written by this process, another process on the state dir, or another
 * replica (all of which reach the cache) give the same events on every replica's streams:
 *
 * <ul>
 *   <li>a window that appears, still running, in a changed snapshot: STARTED;
 *   <li>a running window that disappears without a successor in its lane (an {@code OK}, a login):
 *       ENDED;
 *   <li>a window whose end passes ({@link #due}, from the scheduler's tick): ENDED, also when
 *       nothing was written, which is the usual way a window ends.
 * </ul>
 *
 * Each at most once per window (agent, profile, lane, model, end) in this process. Windows that
 * ended before this process started are not announced. Synchronized: changes and ticks are rare.
 */
final class CooldownWindows {
  private record Key(AgentId agent, ProfileId profile, Window.Lane lane, String model, long until) {
    static Key of(AgentId agent, ProfileId profile, Window w) {
      return new Key(
          agent,
          profile,
          w.lane(),
          w.model() == null ? null : UsageStats.modelKey(w.model()),
          w.untilMs());
    }
  }

  private final long sinceMs;
  private final Set<Key> started = new HashSet<>();
  private final Set<Key> ended = new HashSet<>();

  CooldownWindows(long sinceMs) {
    this.sinceMs = sinceMs;
  }

  /** The events between two snapshots of one agent. */
  synchronized List<LifecycleEvent> changed(
      AgentSnapshot previous, AgentSnapshot next, Instant now) {
    List<LifecycleEvent> out = new ArrayList<>();
    if (previous == null || next == null) {
      return out;
    }
    long nowMs = now.toEpochMilli();
    for (Profile p : next.profiles().values()) {
      List<Window> before = Window.of(previous.state().usage(p.id()));
      List<Window> after = Window.of(next.state().usage(p.id()));
      for (Window w : after) {
        if (w.active(nowMs)
            && !before.contains(w)
            && started.add(Key.of(next.agent(), p.id(), w))) {
          out.add(event(Type.COOLDOWN_STARTED, next.agent(), p, w, now, w.describe()));
        }
      }
      for (Window w : before) {
        if (w.active(nowMs)
            && !after.contains(w)
            && after.stream().noneMatch(x -> x.sameSlot(w) && x.active(nowMs))
            && ended.add(Key.of(next.agent(), p.id(), w))) {
          out.add(event(Type.COOLDOWN_ENDED, next.agent(), p, w, now, endedText(w, "cleared")));
        }
      }
    }
    return out;
  }

  /** ENDED for every window whose end has passed and was not announced yet. */
  synchronized List<LifecycleEvent> due(Collection<AgentSnapshot> snapshots, Instant now) {
    long nowMs = now.toEpochMilli();
    List<LifecycleEvent> out = new ArrayList<>();
    Set<Key> live = new HashSet<>();
    for (AgentSnapshot s : snapshots) {
      for (Profile p : s.profiles().values()) {
        for (Window w : Window.of(s.state().usage(p.id()))) {
          Key k = Key.of(s.agent(), p.id(), w);
          live.add(k);
          if (!w.active(nowMs) && w.untilMs() > sinceMs && ended.add(k)) {
            out.add(event(Type.COOLDOWN_ENDED, s.agent(), p, w, now, endedText(w, "ran out")));
          }
        }
      }
    }
    started.retainAll(live);
    ended.retainAll(live);
    return out;
  }

  private static String endedText(Window w, String how) {
    return (w.lane() == Window.Lane.DISABLED ? "disabled (" : "cooldown (")
        + w.reason()
        + ") "
        + how
        + (w.model() == null ? "" : " for model " + w.model());
  }

  private static LifecycleEvent event(
      Type type, AgentId agent, Profile p, Window w, Instant now, String reason) {
    return LifecycleEvent.of(type, agent, p.id(), p.provider(), w.untilMs(), now, reason);
  }
}
