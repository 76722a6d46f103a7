package dev.tokensink.model;

/**
 * Where a secret lives instead of the store: {@code env} (variable {@code id}) or {@code file} (a
 * JSON pointer {@code id} into a private JSON file named by {@code provider}, or the whole file).
 * OpenClaw's {@code exec} and {@code store} sources are kept but never resolved.
 */
public record SecretRef(String source, String provider, String id) {
  public SecretRef {
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("secret ref has no source");
    }
  }

  @Override
  public String toString() {
    return source + ":" + (provider == null ? "" : provider + ":") + (id == null ? "" : id);
  }
}
