package dev.tokensink.broker;

/** A GetCredential request as received (strings unvalidated; the broker parses them). */
public record CredentialRequest(
    String agent, String provider, String override, String sessionId, String model) {
  public CredentialRequest {
    agent = agent == null ? "" : agent;
    provider = provider == null ? "" : provider;
    override = override == null ? "" : override;
    sessionId = sessionId == null ? "" : sessionId;
    model = model == null ? "" : model;
  }
}
