package dev.tokensink.oauth;

import dev.tokensink.model.ProfileId;
import java.time.Instant;

/**
 * A successful login: nothing secret, the access token only masked.
 *
 * @param accountId null when the provider gave none
 * @param email null when the provider gave none
 * @param updatedInPlace true when an existing profile of the same account was updated
 * @param hasRefreshToken false when the provider issued no refresh token (re-login at expiry)
 */
public record LoginResult(
    ProfileId profileId,
    String maskedAccess,
    Instant expiresAt,
    String accountId,
    String email,
    boolean updatedInPlace,
    boolean hasRefreshToken) {}
