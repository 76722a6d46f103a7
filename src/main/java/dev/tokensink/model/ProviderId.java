package dev.tokensink.model;

/**
 * A model provider such as {@code anthropic} or {@code openai-codex}: {@code
 * [a-z0-9][a-z0-9._-]{0,63}}.
 */
public record ProviderId(String value) implements Comparable<ProviderId> {
  public ProviderId {
    Ids.require("provider id", Ids.PROVIDER, value);
  }

  public static ProviderId of(String value) {
    return new ProviderId(value);
  }

  @Override
  public int compareTo(ProviderId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
