package dev.tokensink.cooldown;

import dev.tokensink.model.ProfileType;
import dev.tokensink.model.UsageStats;
import dev.tokensink.model.UsageStats.ModelCooldown;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code ReportOutcome} does to a profile's {@link UsageStats} (docs/rules.md §4), as a pure
 * function of (usage state, outcome, now). The caller persists the result under the agent's lock.
 *
 * <ul>
 *   <li>A window's length comes from its reason's failure count ({@link Ladder}); the count
 *       survives the end of the window and is reset only by an {@code OK}, or after the failure
 *       window (24 h) without a failure, counted from the later of the last failure and the end of
 *       the last window (a blocked profile is not tried, so its silence says nothing).
 *   <li>Cooldown lane ({@code rate_limit}, {@code overloaded}, {@code auth}, {@code unknown},
 *       {@code model_not_found}): a {@code retry_after} longer than the ladder's window is used
 *       instead, up to {@code retry-after.max}.
 *   <li>Disabled lane: {@code billing} and {@code auth_permanent} by their ladders; {@code
 *       usage_limit} lasts {@code retry_after} (default 1 h, at most 7 d) and is half-open ({@code
 *       probeAfter}); another {@code USAGE_LIMIT} starts a new block.
 *   <li>{@code timeout} is counted and blocks nothing.
 *   <li>An active window is never extended by further failures; they are still counted.
 *   <li>With a model, {@code rate_limit}, {@code timeout} and {@code model_not_found} count and
 *       cool only that model's entry, each model independent of the others.
 * </ul>
 */
public final class CooldownPolicy {
  /** Model entries kept per profile; beyond it the stalest idle ones are dropped. */
  static final int MAX_MODELS = 32;

  /** The next stats and the transitions to publish. */
  public record Result(UsageStats stats, List<Transition> transitions) {
    public Result {
      transitions = List.copyOf(transitions);
    }
  }

  private CooldownPolicy() {}

  /**
   * @param type the profile's type ({@code AUTH_FAILED} means {@code auth_permanent} on a key)
   * @param retryAfter the provider's hint, or null; must not be negative (reject it before)
   * @param model the model the call used, or null
   */
  public static Result apply(
      UsageStats current,
      Outcome outcome,
      ProfileType type,
      Duration retryAfter,
      String model,
      long nowMs,
      CooldownSettings settings) {
    UsageStats cur = current == null ? UsageStats.EMPTY : current;
    if (outcome == Outcome.OK) {
      return ok(cur, model, nowMs);
    }
    return fail(cur, outcome.reason(type), retryAfter, model, nowMs, settings);
  }

  /** A failure by reason. */
  public static Result fail(
      UsageStats current,
      FailureReason reason,
      Duration retryAfter,
      String model,
      long now,
      CooldownSettings s) {
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("retry_after must not be negative");
    }
    UsageStats cur = current == null ? UsageStats.EMPTY : current;
    StatsBuilder b = new StatsBuilder(cur);
    List<Transition> out = new ArrayList<>();
    boolean scoped = reason.modelScoped() && model != null && !model.isBlank();
    if (scoped) {
      modelFailure(b, reason, model, retryAfter, now, s, out);
    } else {
      if (b.lastFailureAt != null
          && now - latest(b.lastFailureAt, b.cooldownUntil, b.disabledUntil)
              >= s.failureWindow().toMillis()) {
        b.resetCounters();
      }
      b.errorCount++;
      int count = b.failureCounts.merge(reason.json(), 1, Integer::sum);
      b.lastFailureAt = now;
      switch (reason.lane()) {
        case COOLDOWN -> cooldown(b, reason, count, retryAfter, now, s, out);
        case DISABLED -> disabled(b, reason, count, retryAfter, now, s, out);
        case NONE -> {}
      }
    }
    prune(b.models, now, s);
    return new Result(b.build(), out);
  }

  /**
   * The stats after a forced refresh answered an {@code AUTH_FAILED} on an OAuth profile: the next
   * {@code AUTH_FAILED} is on the refreshed token and counts as {@code auth}.
   */
  public static UsageStats refreshedAfterAuthFailure(UsageStats current, long now) {
    StatsBuilder b = new StatsBuilder(current == null ? UsageStats.EMPTY : current);
    b.authRefreshedAt = now;
    return b.build();
  }

  /** True when an {@code AUTH_FAILED} on this OAuth profile is on a token a forced refresh gave. */
  public static boolean authAlreadyRefreshed(UsageStats s) {
    return s != null && s.authRefreshedAt() != null;
  }

  private static Duration window(
      Ladder ladder, int count, Duration retryAfter, CooldownSettings s) {
    Duration d = ladder.window(count);
    if (retryAfter != null && retryAfter.compareTo(d) > 0) {
      d = min(retryAfter, s.retryAfterMax().compareTo(d) > 0 ? s.retryAfterMax() : d);
    }
    return d;
  }

  private static void cooldown(
      StatsBuilder b,
      FailureReason reason,
      int count,
      Duration retryAfter,
      long now,
      CooldownSettings s,
      List<Transition> out) {
    if (active(b.cooldownUntil, now)) {
      return; // never extended
    }
    Duration d = window(s.ladder(reason), count, retryAfter, s);
    b.cooldownUntil = now + d.toMillis();
    b.cooldownReason = reason.json();
    out.add(new Transition(Transition.Type.COOLDOWN_STARTED, b.cooldownUntil, reason.json(), null));
  }

  private static void disabled(
      StatsBuilder b,
      FailureReason reason,
      int count,
      Duration retryAfter,
      long now,
      CooldownSettings s,
      List<Transition> out) {
    boolean active = active(b.disabledUntil, now);
    if (reason == FailureReason.USAGE_LIMIT) {
      if (active && !FailureReason.USAGE_LIMIT.json().equals(b.disabledReason)) {
        return; // a billing or auth_permanent block is not shortened or extended
      }
      Duration d = retryAfter == null || retryAfter.isZero() ? s.usageLimitDefault() : retryAfter;
      d = min(d, s.usageLimitMax());
      b.disabledUntil = now + d.toMillis();
      b.disabledReason = reason.json();
      b.probeAfter = Math.min(now + s.probeInterval().toMillis(), b.disabledUntil);
    } else {
      if (active) {
        return; // never extended
      }
      Duration d = s.ladder(reason).window(count);
      b.disabledUntil = now + d.toMillis();
      b.disabledReason = reason.json();
      b.probeAfter = null;
    }
    out.add(new Transition(Transition.Type.DISABLED_STARTED, b.disabledUntil, reason.json(), null));
  }

  private static void modelFailure(
      StatsBuilder b,
      FailureReason reason,
      String model,
      Duration retryAfter,
      long now,
      CooldownSettings s,
      List<Transition> out) {
    String key = UsageStats.modelKey(model);
    ModelCooldown m = b.models.get(key);
    Long until = m == null ? null : m.cooldownUntil();
    String why = m == null ? null : m.cooldownReason();
    int errors = m == null ? 0 : m.errorCount();
    Map<String, Integer> counts = new LinkedHashMap<>(m == null ? Map.of() : m.failureCounts());
    Long last = m == null ? null : m.lastFailureAt();
    if (last != null && now - latest(last, until, null) >= s.failureWindow().toMillis()) {
      errors = 0;
      counts.clear();
    }
    errors++;
    int count = counts.merge(reason.json(), 1, Integer::sum);
    if (reason.lane() == FailureReason.Lane.COOLDOWN && !active(until, now)) {
      until = now + window(s.ladder(reason), count, retryAfter, s).toMillis();
      why = reason.json();
      out.add(new Transition(Transition.Type.COOLDOWN_STARTED, until, why, model));
    }
    String name = m == null ? model : m.model();
    b.models.put(key, new ModelCooldown(name, until, why, errors, counts, now));
  }

  private static Result ok(UsageStats cur, String model, long now) {
    ModelCooldown m = cur.model(model);
    boolean wasBlocked =
        active(cur.cooldownUntil(), now)
            || active(cur.disabledUntil(), now)
            || (model == null
                ? cur.models().values().stream().anyMatch(x -> x.active(now))
                : m != null && m.active(now));
    StatsBuilder b = new StatsBuilder(cur);
    b.clearCooldown();
    b.clearDisabled();
    b.resetCounters();
    if (model == null) {
      b.models.clear();
    } else {
      b.models.remove(UsageStats.modelKey(model));
    }
    b.lastUsed = now;
    List<Transition> out =
        wasBlocked ? List.of(new Transition(Transition.Type.ENDED, null, "ok", model)) : List.of();
    return new Result(b.build(), out);
  }

  /**
   * Drops idle model entries whose counts have lapsed, and the stalest beyond {@link #MAX_MODELS}.
   */
  private static void prune(Map<String, ModelCooldown> models, long now, CooldownSettings s) {
    long window = s.failureWindow().toMillis();
    models
        .values()
        .removeIf(
            m ->
                !m.active(now)
                    && (m.lastFailureAt() == null
                        || now - latest(m.lastFailureAt(), m.cooldownUntil(), null) >= window));
    if (models.size() > MAX_MODELS) {
      List<String> stalest =
          models.entrySet().stream()
              .sorted(
                  Comparator.comparing(
                          (Map.Entry<String, ModelCooldown> e) -> e.getValue().active(now))
                      .thenComparingLong(
                          e ->
                              e.getValue().lastFailureAt() == null
                                  ? 0
                                  : e.getValue().lastFailureAt()))
              .limit(models.size() - MAX_MODELS)
              .map(Map.Entry::getKey)
              .toList();
      stalest.forEach(models::remove);
    }
  }

  private static long latest(Long a, Long b, Long c) {
    long m = a == null ? 0 : a;
    m = Math.max(m, b == null ? 0 : b);
    return Math.max(m, c == null ? 0 : c);
  }

  public static boolean active(Long until, long now) {
    return until != null && until > now;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
