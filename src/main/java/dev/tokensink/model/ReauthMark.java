package dev.tokensink.model;

/** A profile whose grant is gone: a person must log in again. Cleared by a successful login. */
public record ReauthMark(String reason, long at) {
  public ReauthMark {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("reauth mark needs a reason");
    }
  }
}
