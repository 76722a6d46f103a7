package dev.tokensink.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-profile usage state in {@code auth-state.json} {@code usageStats} (docs/rules.md §4). All
 * times are epoch ms, null when unset. {@code extra} keeps fields this version does not know.
 */
public record UsageStats(
    Long lastUsed,
    Long cooldownUntil,
    String cooldownReason,
    String cooldownModel,
    Long disabledUntil,
    String disabledReason,
    int errorCount,
    Map<String, Integer> failureCounts,
    Long lastFailureAt,
    Long probeAfter,
    Map<String, JsonNode> extra) {

  public static final UsageStats EMPTY =
      new UsageStats(null, null, null, null, null, null, 0, Map.of(), null, null, Map.of());

  public UsageStats {
    failureCounts =
        failureCounts == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(failureCounts));
    extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
  }

  /** True while a cooldown for every model is active at {@code now}. */
  public boolean inCooldown(long now) {
    return cooldownUntil != null && cooldownUntil > now;
  }

  public boolean disabled(long now) {
    return disabledUntil != null && disabledUntil > now;
  }

  public UsageStats withLastUsed(long at) {
    return new UsageStats(
        at,
        cooldownUntil,
        cooldownReason,
        cooldownModel,
        disabledUntil,
        disabledReason,
        errorCount,
        failureCounts,
        lastFailureAt,
        probeAfter,
        extra);
  }
}
