package dev.tokensink.broker;

import dev.tokensink.cooldown.Transition;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProfileId;
import java.util.List;

/**
 * The profile's state after a report.
 *
 * @param state {@code ok}, {@code cooldown}, {@code disabled} or {@code reauth_required}
 * @param usableAtMs when it serves again; null when it serves now
 */
public record OutcomeResult(
    AgentId agent,
    ProfileId profile,
    String state,
    Long usableAtMs,
    List<Transition> transitions) {}
