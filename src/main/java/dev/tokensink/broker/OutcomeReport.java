package dev.tokensink.broker;

import java.time.Duration;

/**
 * A ReportOutcome request as received.
 *
 * @param outcome the proto enum's name ({@code RATE_LIMITED}, …); unknown names are rejected
 * @param retryAfter the provider's hint, or null
 */
public record OutcomeReport(
    String agent, String profileId, String outcome, Duration retryAfter, String model) {}
