package dev.tokensink.cooldown;

import dev.tokensink.model.UsageStats;
import java.util.LinkedHashMap;
import java.util.Map;

/** Mutable copy of a {@link UsageStats}, so policy code names the fields it changes. */
final class StatsBuilder {
  Long lastUsed;
  Long cooldownUntil;
  String cooldownReason;
  String cooldownModel;
  Long disabledUntil;
  String disabledReason;
  int errorCount;
  final Map<String, Integer> failureCounts;
  Long lastFailureAt;
  Long probeAfter;
  private final UsageStats from;

  StatsBuilder(UsageStats s) {
    from = s;
    lastUsed = s.lastUsed();
    cooldownUntil = s.cooldownUntil();
    cooldownReason = s.cooldownReason();
    cooldownModel = s.cooldownModel();
    disabledUntil = s.disabledUntil();
    disabledReason = s.disabledReason();
    errorCount = s.errorCount();
    failureCounts = new LinkedHashMap<>(s.failureCounts());
    lastFailureAt = s.lastFailureAt();
    probeAfter = s.probeAfter();
  }

  void clearCooldown() {
    cooldownUntil = null;
    cooldownReason = null;
    cooldownModel = null;
  }

  void clearDisabled() {
    disabledUntil = null;
    disabledReason = null;
    probeAfter = null;
  }

  void resetCounters() {
    errorCount = 0;
    failureCounts.clear();
    lastFailureAt = null;
  }

  UsageStats build() {
    return new UsageStats(
        lastUsed,
        cooldownUntil,
        cooldownReason,
        cooldownModel,
        disabledUntil,
        disabledReason,
        errorCount,
        failureCounts,
        lastFailureAt,
        probeAfter,
        from.extra());
  }
}
