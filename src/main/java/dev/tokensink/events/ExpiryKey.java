package dev.tokensink.events;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProfileId;

/** One credential generation of a profile: the same profile with a new expiry is a new key. */
record ExpiryKey(AgentId agent, ProfileId profile, long expiresAt) {}
