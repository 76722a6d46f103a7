package dev.tokensink.oauth;

/**
 * An unknown provider, a provider without OAuth login, or a configured provider missing a key (exit
 * 2).
 */
public final class ProviderException extends IllegalArgumentException {
  public ProviderException(String message) {
    super(message);
  }
}
