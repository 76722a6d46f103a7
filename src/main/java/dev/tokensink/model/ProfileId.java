package dev.tokensink.model;

/**
 * A profile id {@code provider:name}. The name may be an email ({@code
 * openai-codex:me@example.com}); the provider part is everything before the first colon.
 */
public record ProfileId(ProviderId provider, String name) implements Comparable<ProfileId> {
  public ProfileId {
    if (provider == null) {
      throw new InvalidIdException("profile id has no provider");
    }
    Ids.require("profile name", Ids.PROFILE_NAME, name);
  }

  public static ProfileId of(ProviderId provider, String name) {
    return new ProfileId(provider, name);
  }

  /** Parses {@code provider:name}; throws {@link InvalidIdException} with a printable message. */
  public static ProfileId parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidIdException("profile id is empty");
    }
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new InvalidIdException(
          "profile id '"
              + Ids.printable(text)
              + "' is malformed; expected provider:name, e.g. anthropic:work");
    }
    try {
      return new ProfileId(new ProviderId(text.substring(0, colon)), text.substring(colon + 1));
    } catch (InvalidIdException e) {
      throw new InvalidIdException(
          "profile id '" + Ids.printable(text) + "' is malformed: " + e.getMessage());
    }
  }

  @Override
  public int compareTo(ProfileId o) {
    return toString().compareTo(o.toString());
  }

  @Override
  public String toString() {
    return provider.value() + ":" + name;
  }
}
