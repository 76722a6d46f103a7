package dev.tokensink.model;

import java.util.Map;

/** The secret part of a profile, one record per stored {@code type}. */
public sealed interface Credential {

  ProfileType type();

  /** Epoch ms after which the credential is unusable; null when it does not expire. */
  Long expiresAt();

  /**
   * The stored secret that is served (key, token, access token); null when only a ref is stored.
   */
  Secret secret();

  /** {@code api_key}: a key (or a ref to one). Never expires. */
  record ApiKey(Secret key, SecretRef keyRef, Map<String, String> metadata) implements Credential {
    public ApiKey {
      if (key == null && keyRef == null) {
        throw new IllegalArgumentException("api_key profile has neither key nor keyRef");
      }
      metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    @Override
    public ProfileType type() {
      return ProfileType.API_KEY;
    }

    @Override
    public Secret secret() {
      return key;
    }

    @Override
    public Long expiresAt() {
      return null;
    }
  }

  /** {@code token}: a pasted bearer token (or a ref to one); cannot refresh. */
  record Token(Secret token, SecretRef tokenRef, Long expires) implements Credential {
    public Token {
      if (token == null && tokenRef == null) {
        throw new IllegalArgumentException("token profile has neither token nor tokenRef");
      }
    }

    @Override
    public ProfileType type() {
      return ProfileType.TOKEN;
    }

    @Override
    public Secret secret() {
      return token;
    }

    @Override
    public Long expiresAt() {
      return expires;
    }
  }

  /** {@code oauth}: access and refresh token; {@code expires} in epoch ms. */
  record OAuth(Secret access, Secret refresh, long expires, String accountId, String clientId)
      implements Credential {
    public OAuth {
      if (access == null) {
        throw new IllegalArgumentException("oauth profile has no access token");
      }
    }

    @Override
    public ProfileType type() {
      return ProfileType.OAUTH;
    }

    @Override
    public Secret secret() {
      return access;
    }

    @Override
    public Long expiresAt() {
      return expires;
    }

    public OAuth withTokens(Secret newAccess, Secret newRefresh, long newExpires) {
      return new OAuth(
          newAccess, newRefresh == null ? refresh : newRefresh, newExpires, accountId, clientId);
    }
  }
}
