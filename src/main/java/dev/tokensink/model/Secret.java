package dev.tokensink.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Wraps every secret value (API key, token, access or refresh token). {@link #toString()} and
 * {@link #masked()} never reveal it; only {@link #reveal()} does, at the edge where it is served or
 * written to the store.
 */
public final class Secret {
  /** The largest secret tokensink stores: 64 KiB of UTF-8 (docs/rules.md §1). */
  public static final int MAX_BYTES = 64 * 1024;

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    Objects.requireNonNull(value, "secret");
    return new Secret(value);
  }

  /** Null-tolerant factory for optional JSON fields. */
  public static Secret ofNullable(String value) {
    return value == null ? null : new Secret(value);
  }

  public String reveal() {
    return value;
  }

  public boolean isBlank() {
    return value.isBlank();
  }

  public int length() {
    return value.length();
  }

  /** Its size in UTF-8 bytes (the unit of {@link #MAX_BYTES}). */
  public int bytes() {
    return value.getBytes(StandardCharsets.UTF_8).length;
  }

  /** First 4 … last 4 for secrets of 16+ characters; only stars for shorter ones. */
  public String masked() {
    return mask(value);
  }

  public static String mask(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    if (value.length() < 16) {
      return "****";
    }
    return value.substring(0, 4) + "…" + value.substring(value.length() - 4);
  }

  /** Constant-time comparison. */
  public boolean sameAs(Secret other) {
    return other != null
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && sameAs(s);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "Secret[" + masked() + "]";
  }
}
