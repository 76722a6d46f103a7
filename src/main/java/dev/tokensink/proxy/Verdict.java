package dev.tokensink.proxy;

import dev.tokensink.cooldown.Outcome;
import java.time.Duration;

/**
 * What a provider's answer says about the credential that was used.
 *
 * @param outcome the outcome to report; null when the answer says nothing about the credential (a
 *     400 for a malformed request, a 500)
 * @param retryAfter the provider's hint, or null
 */
public record Verdict(Outcome outcome, Duration retryAfter) {
  static final Verdict OK = new Verdict(Outcome.OK, null);
  static final Verdict NONE = new Verdict(null, null);

  /** Whether another profile may take the request (429, 401, 529: docs/proxy.md). */
  static boolean failoverStatus(int status) {
    return status == 429 || status == 401 || status == 529;
  }
}
