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
 *   <li>{@code TRANSIENT}: an answer that issues no tokens: 5xx, 408, 429. Worth retrying later
 *       with the same refresh token.
 *   <li>{@code NOT_SENT}: the request certainly never reached the provider (connection refused, DNS
 *       failure, connect timeout, TLS handshake failure, a failure before the last byte of the
 *       request was handed to the connection). Worth retrying with the same refresh token.
 *   <li>{@code ANSWER_LOST}: the request was sent but no usable answer came back (answer timeout,
 *       connection reset or closed before the whole answer, a 2xx that is not a token response).
 *       The provider may have rotated the refresh token: it must not be replayed (docs/rules.md
 *       §2).
 * </ul>
 */
public final class TokenEndpointException extends Exception {

  /** How the caller should react. */
  public enum Kind {
    INVALID_GRANT,
    REJECTED,
    TRANSIENT,
    NOT_SENT,
    ANSWER_LOST
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
