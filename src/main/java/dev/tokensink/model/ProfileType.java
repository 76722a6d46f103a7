package dev.tokensink.model;

/**
 * The stored {@code type} discriminator. Order of declaration is the default routing preference.
 */
public enum ProfileType {
  OAUTH("oauth"),
  TOKEN("token"),
  API_KEY("api_key");

  private final String json;

  ProfileType(String json) {
    this.json = json;
  }

  public String json() {
    return json;
  }

  /** Parses a stored {@code type} (or legacy {@code mode}); null when unknown. */
  public static ProfileType fromJson(String value) {
    if (value == null) {
      return null;
    }
    for (ProfileType t : values()) {
      if (t.json.equals(value)) {
        return t;
      }
    }
    return null;
  }
}
