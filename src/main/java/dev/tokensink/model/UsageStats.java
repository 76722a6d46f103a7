package dev.tokensink.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Per-profile usage state in {@code auth-state.json} {@code usageStats} (docs/rules.md §4). All
 * times are epoch ms, null when unset. {@code extra} keeps fields this version does not know.
 *
 * <p>The profile-wide fields ({@code cooldownUntil}, {@code errorCount}, {@code failureCounts},
 * ...) hold what cools the whole profile; {@code models} holds one {@link ModelCooldown} per model
 * that a model-scoped outcome named (keyed by the model name in lower case), each with its own
 * window and counts. {@code probeAfter} is the half-open claim of a {@code usage_limit} block: the
 * next request at or after it may use the blocked profile, and claiming moves it a probe interval
 * on. {@code authRefreshedAt}: when a forced refresh last answered an {@code AUTH_FAILED} on an
 * OAuth profile, so that the next {@code AUTH_FAILED} (on the refreshed token) counts.
 */
public record UsageStats(
    Long lastUsed,
    Long cooldownUntil,
    String cooldownReason,
    Long disabledUntil,
    String disabledReason,
    int errorCount,
    Map<String, Integer> failureCounts,
    Long lastFailureAt,
    Long probeAfter,
    Long authRefreshedAt,
    Map<String, ModelCooldown> models,
    Map<String, JsonNode> extra) {

  public static final UsageStats EMPTY =
      new UsageStats(
          null, null, null, null, null, 0, Map.of(), null, null, null, Map.of(), Map.of());

  /**
   * The state of one model on a profile: its own window and counts.
   *
   * @param model the model's name as first reported
   */
  public record ModelCooldown(
      String model,
      Long cooldownUntil,
      String cooldownReason,
      int errorCount,
      Map<String, Integer> failureCounts,
      Long lastFailureAt) {
    public ModelCooldown {
      failureCounts =
          failureCounts == null
              ? Map.of()
              : Collections.unmodifiableMap(new LinkedHashMap<>(failureCounts));
    }

    public boolean active(long now) {
      return cooldownUntil != null && cooldownUntil > now;
    }
  }

  public UsageStats {
    failureCounts =
        failureCounts == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(failureCounts));
    models = models == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(models));
    extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
  }

  /**
   * The layout before per-model windows (and OpenClaw 2026.9's): one {@code cooldownModel} naming
   * the only model the profile's cooldown blocks. Such a cooldown becomes that model's entry.
   */
  public UsageStats(
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
    this(
        lastUsed,
        cooldownModel == null ? cooldownUntil : null,
        cooldownModel == null ? cooldownReason : null,
        disabledUntil,
        disabledReason,
        cooldownModel == null ? errorCount : 0,
        cooldownModel == null ? failureCounts : Map.of(),
        cooldownModel == null ? lastFailureAt : null,
        probeAfter,
        null,
        cooldownModel == null
            ? Map.of()
            : Map.of(
                modelKey(cooldownModel),
                new ModelCooldown(
                    cooldownModel,
                    cooldownUntil,
                    cooldownReason,
                    errorCount,
                    failureCounts,
                    lastFailureAt)),
        extra);
  }

  /** The key of a model in {@link #models}: model names compare case-insensitively. */
  public static String modelKey(String model) {
    return model.toLowerCase(Locale.ROOT);
  }

  /** The entry of {@code model}, or null (also for a null model). */
  public ModelCooldown model(String model) {
    return model == null ? null : models.get(modelKey(model));
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
        disabledUntil,
        disabledReason,
        errorCount,
        failureCounts,
        lastFailureAt,
        probeAfter,
        authRefreshedAt,
        models,
        extra);
  }
}
