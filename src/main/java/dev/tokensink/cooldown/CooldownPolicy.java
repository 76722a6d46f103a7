package dev.tokensink.cooldown;

import dev.tokensink.model.UsageStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@code ReportOutcome} does to a profile's {@link UsageStats} (docs/rules.md §4), as a pure
 * function of (current stats, outcome, now). The caller persists the result under the agent's lock.
 *
 * <ul>
 *   <li>Cooldown lane ({@code rate_limit}, {@code overloaded}, {@code auth}, {@code unknown},
 *       {@code model_not_found}): ladder step by error count, or {@code retry_after} capped.
 *   <li>Disabled lane: {@code billing} and {@code auth_permanent} double per failure of that reason
 *       up to their caps; {@code usage_limit} lasts {@code retry_after} (default 1 h, cap 7 d) and
 *       is half-open: {@code probeAfter} lets one request through every probe interval.
 *   <li>{@code timeout} is counted and blocks nothing.
 *   <li>Counters reset when the last window has expired (unless {@link
 *       CooldownSettings#resetOnExpiry} is off) or after the failure window (24 h) without a
 *       failure, counted from the later of the last failure and the end of the last window.
 *   <li>An active window of a lane is never extended by further failures; they are still counted.
 *       Two models limited one after the other widen a model window to the whole profile, keeping
 *       its end.
 * </ul>
 */
public final class CooldownPolicy {

  /** The next stats and the transitions to publish. */
  public record Result(UsageStats stats, List<Transition> transitions) {
    public Result {
      transitions = List.copyOf(transitions);
    }
  }

  private CooldownPolicy() {}

  /**
   * @param retryAfter the provider's hint, or null; must not be negative (reject it before)
   * @param model the model the call used, or null
   */
  public static Result apply(
      UsageStats current,
      Outcome outcome,
      Duration retryAfter,
      String model,
      long nowMs,
      CooldownSettings settings) {
    UsageStats cur = current == null ? UsageStats.EMPTY : current;
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("retry_after must not be negative");
    }
    if (outcome == Outcome.OK) {
      return ok(cur, nowMs);
    }
    return fail(cur, outcome.reason(), retryAfter, model, nowMs, settings);
  }

  /**
   * A failure by reason, for callers that know more than an outcome (e.g. {@code auth_permanent}).
   */
  public static Result fail(
      UsageStats cur,
      FailureReason reason,
      Duration retryAfter,
      String model,
      long now,
      CooldownSettings s) {
    StatsBuilder b = new StatsBuilder(cur);
    boolean hadWindow = cur.cooldownUntil() != null || cur.disabledUntil() != null;
    if (!active(cur.cooldownUntil(), now)) {
      b.clearCooldown();
    }
    if (!active(cur.disabledUntil(), now)) {
      b.clearDisabled();
    }
    boolean lastWindowExpired = hadWindow && b.cooldownUntil == null && b.disabledUntil == null;
    boolean quiet =
        cur.lastFailureAt() != null && now - quietSince(cur) >= s.failureWindow().toMillis();
    if (quiet || (lastWindowExpired && s.resetOnExpiry())) {
      b.resetCounters();
    }
    b.errorCount++;
    b.failureCounts.merge(reason.json(), 1, Integer::sum);
    b.lastFailureAt = now;

    List<Transition> out = new ArrayList<>();
    String scope = reason.modelScoped() && model != null && !model.isBlank() ? model : null;
    switch (reason.lane()) {
      case COOLDOWN -> cooldown(b, reason, scope, retryAfter, now, s, out);
      case DISABLED -> disabled(b, reason, retryAfter, now, s, out);
      case NONE -> {}
    }
    return new Result(b.build(), out);
  }

  private static void cooldown(
      StatsBuilder b,
      FailureReason reason,
      String scope,
      Duration retryAfter,
      long now,
      CooldownSettings s,
      List<Transition> out) {
    if (b.cooldownUntil != null) {
      boolean otherModel =
          b.cooldownModel != null && !b.cooldownModel.equalsIgnoreCase(scope == null ? "" : scope);
      if (otherModel) {
        b.cooldownModel = null;
        out.add(
            new Transition(
                Transition.Type.COOLDOWN_STARTED, b.cooldownUntil, b.cooldownReason, null));
      }
      return;
    }
    Duration d =
        retryAfter == null ? s.ladderStep(b.errorCount) : min(retryAfter, s.retryAfterCap());
    if (d.isZero()) {
      return; // the provider said "retry now": counted, no window
    }
    b.cooldownUntil = now + d.toMillis();
    b.cooldownReason = reason.json();
    b.cooldownModel = scope;
    out.add(
        new Transition(Transition.Type.COOLDOWN_STARTED, b.cooldownUntil, reason.json(), scope));
  }

  private static void disabled(
      StatsBuilder b,
      FailureReason reason,
      Duration retryAfter,
      long now,
      CooldownSettings s,
      List<Transition> out) {
    boolean usageLimit = reason == FailureReason.USAGE_LIMIT;
    if (b.disabledUntil != null) {
      if (usageLimit && b.probeAfter != null) {
        b.probeAfter = Math.min(now + s.probeInterval().toMillis(), b.disabledUntil);
      }
      return;
    }
    Duration d;
    if (usageLimit) {
      d = min(retryAfter == null ? s.usageLimitDefault() : retryAfter, s.usageLimitCap());
    } else if (reason == FailureReason.BILLING) {
      d =
          CooldownSettings.doubling(
              s.billingBase(), s.billingCap(), b.failureCounts.get(reason.json()));
    } else {
      d =
          CooldownSettings.doubling(
              s.authPermanentBase(), s.authPermanentCap(), b.failureCounts.get(reason.json()));
    }
    if (d.isZero()) {
      return;
    }
    b.disabledUntil = now + d.toMillis();
    b.disabledReason = reason.json();
    b.probeAfter =
        usageLimit ? Math.min(now + s.probeInterval().toMillis(), b.disabledUntil) : null;
    out.add(new Transition(Transition.Type.DISABLED_STARTED, b.disabledUntil, reason.json(), null));
  }

  private static Result ok(UsageStats cur, long now) {
    boolean wasBlocked = active(cur.cooldownUntil(), now) || active(cur.disabledUntil(), now);
    StatsBuilder b = new StatsBuilder(cur);
    b.clearCooldown();
    b.clearDisabled();
    b.resetCounters();
    b.lastUsed = now;
    List<Transition> out =
        wasBlocked ? List.of(new Transition(Transition.Type.ENDED, null, "ok", null)) : List.of();
    return new Result(b.build(), out);
  }

  /**
   * The quiet period starts at the last failure or at the end of the last window, whichever is
   * later: a blocked profile is not tried, so its silence says nothing about its health (and a 24 h
   * billing cap would otherwise always reset the doubling).
   */
  private static long quietSince(UsageStats s) {
    long since = s.lastFailureAt();
    since = Math.max(since, s.cooldownUntil() == null ? 0 : s.cooldownUntil());
    return Math.max(since, s.disabledUntil() == null ? 0 : s.disabledUntil());
  }

  public static boolean active(Long until, long now) {
    return until != null && until > now;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
