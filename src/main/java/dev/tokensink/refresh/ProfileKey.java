package dev.tokensink.refresh;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProfileId;

/** One profile of one agent: the unit of single flight, backoff and remembered lifetime. */
record ProfileKey(AgentId agent, ProfileId profile) {}
