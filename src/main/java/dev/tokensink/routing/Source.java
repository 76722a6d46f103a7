package dev.tokensink.routing;

/** Which source of docs/rules.md §3 chose the profile. */
public enum Source {
  /** The request's override pinned it. */
  OVERRIDE,
  /** The session's sticky profile, still usable. */
  SESSION,
  /** The agent's own {@code order[provider]}. */
  AGENT_ORDER,
  /** The configured {@code auth.order[provider]}. */
  CONFIG_ORDER,
  /** Every stored profile: oauth, token, api_key, then least recently used first. */
  DEFAULT,
  /** The provider's environment variables, as the pseudo-profile {@code provider:env}. */
  ENV
}
