package dev.tokensink.oauth;

/**
 * A token or revocation endpoint call failed. The message names the provider, the HTTP status and
 * the OAuth {@code error}/{@code error_description} (sanitized, bounded), never a token, code or
 * response body.
 *
 * <p>Classification ({@link Kind}):
 *
 * <ul>
 *   <li>{@code INVALID_GRANT}: {@code error} is {@code invalid_grant}, {@code
 *       refresh_token_reused}, {@code refresh_token_expired}, {@code refresh_token_invalidated},
 *       {@code token_revoked} or {@code invalid_token}: the grant is gone, a person must log in
 *       again.
 *   <li>{@code REJECTED}: any other 4xx, including 401 {@code invalid_client} (a client
 *       configuration problem that a re-login would not fix) and 4xx answers without an OAuth
 *       error.
 *   <li>{@code TRANSIENT}: network failure, timeout, dropped connection, 5xx, 408, 429, and a 2xx
 *       whose body is not a token response (HTML from a proxy, garbage): worth retrying later.
 * </ul>
 */
public final class TokenEndpointException extends Exception {

  /** How the caller should react. */
  public enum Kind {
    INVALID_GRANT,
    REJECTED,
    TRANSIENT
  }

  private final Kind kind;
  private final String providerId;
  private final int httpStatus;
  private final String oauthError;

  TokenEndpointException(
      Kind kind,
      String providerId,
      int httpStatus,
      String oauthError,
      String message,
      Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.providerId = providerId;
    this.httpStatus = httpStatus;
    this.oauthError = oauthError;
  }

  public Kind kind() {
    return kind;
  }

  public String providerId() {
    return providerId;
  }

  /** The HTTP status, or 0 when no HTTP answer arrived. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The sanitized OAuth {@code error} code, or null. */
  public String oauthError() {
    return oauthError;
  }
}
