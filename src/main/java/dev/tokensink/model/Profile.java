package dev.tokensink.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One stored profile. {@code provider} is the credential's own provider field (docs/rules.md §1: it
 * decides the provider, even if the id says otherwise). {@code extra} holds fields this version
 * does not know, written back unchanged.
 */
public record Profile(
    ProfileId id,
    ProviderId provider,
    Credential credential,
    String email,
    String displayName,
    Map<String, JsonNode> extra) {

  public Profile {
    if (id == null || provider == null || credential == null) {
      throw new IllegalArgumentException("profile needs id, provider and credential");
    }
    extra =
        extra == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extra));
  }

  public static Profile of(ProfileId id, Credential credential) {
    return new Profile(id, id.provider(), credential, null, null, Map.of());
  }

  public ProfileType type() {
    return credential.type();
  }

  public Profile withCredential(Credential next) {
    return new Profile(id, provider, next, email, displayName, extra);
  }

  public Profile withEmail(String nextEmail) {
    return new Profile(id, provider, credential, nextEmail, displayName, extra);
  }

  @Override
  public String toString() {
    return "Profile[" + id + ", " + credential.type().json() + "]";
  }
}
