package dev.tokensink.security;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which GetCredential answers get an audit line: each credential a caller receives for the first
 * time (a new caller, a new profile, a rotated or replaced secret), so the audit log says who got
 * which credential and when without one line per cached answer; every answer is still counted in
 * {@code tokensink_credentials_served_total}. With {@code tokensink.audit.every-answer} every
 * answer is logged. Bounded: the memory of what was handed out is forgotten past {@value
 * #MAX_ENTRIES} (caller, agent, profile) triples, which at worst logs a repeat.
 */
public final class HandedOut {
  static final int MAX_ENTRIES = 10_000;

  private record Key(String caller, AgentId agent, ProfileId profile) {}

  private final boolean everyAnswer;
  private final ConcurrentHashMap<Key, Secret> last = new ConcurrentHashMap<>();

  public HandedOut(boolean everyAnswer) {
    this.everyAnswer = everyAnswer;
  }

  /**
   * True when handing {@code secret} of {@code profile} to {@code caller} deserves an audit line.
   */
  public boolean firstTime(String caller, AgentId agent, ProfileId profile, Secret secret) {
    if (everyAnswer) {
      return true;
    }
    Key key = new Key(caller, agent, profile);
    Secret before = last.put(key, secret);
    if (before != null && (before == secret || before.equals(secret))) {
      return false;
    }
    if (last.size() > MAX_ENTRIES) {
      last.clear();
      last.put(key, secret);
    }
    return true;
  }
}
