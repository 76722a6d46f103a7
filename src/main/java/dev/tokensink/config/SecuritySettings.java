package dev.tokensink.config;

import org.eclipse.microprofile.config.Config;

/**
 * Transport and start-up hardening keys (docs/security.md), read next to {@link Settings}.
 *
 * @param socketMode octal mode of the Unix socket ({@code tokensink.grpc.socket-mode}, default
 *     0600)
 * @param socketGroup group the socket is handed to ({@code tokensink.grpc.socket-group}), null to
 *     keep
 * @param maxStreamsPerCaller open StreamExpiryEvents streams one caller may hold ({@code
 *     tokensink.grpc.max-streams-per-caller}, default 1024: one per chat worker, about 6 KiB each)
 * @param allowInsecureStateDir serve from a state dir others can read ({@code
 *     tokensink.allow-insecure-state-dir})
 * @param auditEveryAnswer an audit line for every GetCredential answer, not only for each
 *     credential a caller receives for the first time ({@code tokensink.audit.every-answer},
 *     default false)
 */
public record SecuritySettings(
    int socketMode,
    String socketGroup,
    int maxStreamsPerCaller,
    boolean allowInsecureStateDir,
    boolean auditEveryAnswer) {
  public static final SecuritySettings DEFAULTS =
      new SecuritySettings(0600, null, 1024, false, false);

  public static SecuritySettings from(Config c) {
    String mode = SettingsLoader.str(c, "tokensink.grpc.socket-mode", "0600");
    int parsed;
    try {
      parsed = Integer.parseInt(mode, 8);
    } catch (NumberFormatException e) {
      parsed = -1;
    }
    if (parsed < 0 || (parsed & ~0660) != 0 || (parsed & 0600) != 0600) {
      throw new IllegalArgumentException(
          "tokensink.grpc.socket-mode must be 0600 or 0660 (owner, optionally its"
              + " group; never others), not '"
              + mode
              + "'");
    }
    String streams = SettingsLoader.str(c, "tokensink.grpc.max-streams-per-caller", "1024");
    int max;
    try {
      max = Integer.parseInt(streams);
    } catch (NumberFormatException e) {
      max = 0;
    }
    if (max < 1) {
      throw new IllegalArgumentException(
          "tokensink.grpc.max-streams-per-caller must be a positive number, not '" + streams + "'");
    }
    return new SecuritySettings(
        parsed,
        SettingsLoader.str(c, "tokensink.grpc.socket-group", null),
        max,
        Boolean.parseBoolean(SettingsLoader.str(c, "tokensink.allow-insecure-state-dir", "false")),
        Boolean.parseBoolean(SettingsLoader.str(c, "tokensink.audit.every-answer", "false")));
  }
}
