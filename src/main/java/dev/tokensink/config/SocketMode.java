package dev.tokensink.config;

/**
 * The mode of the gRPC Unix socket ({@code tokensink.grpc.socket-mode}): {@code 0600} or {@code
 * 0660}, the owner and optionally its group, never others.
 *
 * @param bits the permission bits
 */
public record SocketMode(int bits) {
  public SocketMode {
    if (bits < 0 || (bits & ~0660) != 0 || (bits & 0600) != 0600) {
      throw new IllegalArgumentException(
          "must be 0600 or 0660 (owner, optionally its group; never others), not '"
              + Integer.toOctalString(bits)
              + "'");
    }
  }

  /** Parses an octal mode such as {@code 0660}. */
  public static SocketMode of(String text) {
    int parsed;
    try {
      parsed = Integer.parseInt(text.trim(), 8);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "must be 0600 or 0660 (owner, optionally its group; never others), not '" + text + "'");
    }
    return new SocketMode(parsed);
  }

  @Override
  public String toString() {
    return "0" + Integer.toOctalString(bits);
  }
}
