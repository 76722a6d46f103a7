package dev.tokensink.cli;

import dev.tokensink.model.Secret;
import java.util.regex.Pattern;

/**
 * Validation of pasted secrets (docs/rules.md §6). Messages explain what was wrong without echoing
 * the value: a pasted secret never appears in output.
 */
final class PastedSecret {
  static final String SETUP_TOKEN_PREFIX = "sk-ant-oat01-";
  static final int SETUP_TOKEN_MIN = 80;
  private static final Pattern CODE_STATE = Pattern.compile("[A-Za-z0-9._~-]+#[A-Za-z0-9._~-]+");

  private PastedSecret() {}

  /**
   * Any provider's pasted token or key: non-empty, no whitespace inside, not a redirect or code.
   */
  static Secret token(String raw, String what) {
    String v = raw == null ? "" : raw.strip();
    if (v.isEmpty()) {
      throw CliException.badInput(
          what + " is empty: paste it on standard input (e.g. pbpaste | tokensink …)");
    }
    int bytes = v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (bytes > Secret.MAX_BYTES) {
      throw CliException.badInput(
          what
              + " is "
              + bytes
              + " bytes, more than the "
              + Secret.MAX_BYTES
              + " bytes (64 KiB) a secret may have; nothing was stored");
    }
    if (v.chars().anyMatch(Character::isWhitespace)) {
      throw CliException.badInput(
          what + " contains whitespace; paste exactly one value on one line");
    }
    if (v.startsWith("http://")
        || v.startsWith("https://")
        || v.contains("?code=")
        || v.startsWith("code=")) {
      throw CliException.badInput(
          what
              + " looks like an OAuth redirect URL, not a token. For an OAuth "
              + "provider run `tokensink models auth login --provider ID`, which accepts the redirect URL.");
    }
    if (CODE_STATE.matcher(v).matches()) {
      throw CliException.badInput(
          what
              + " looks like an OAuth `code#state` pair, not a token. Finish the "
              + "login with `tokensink models auth login --provider ID --no-browser` and paste it there.");
    }
    return Secret.of(v);
  }

  /** An Anthropic setup token: {@code sk-ant-oat01-} and at least 80 characters. */
  static Secret setupToken(String raw) {
    Secret s = token(raw, "setup token");
    if (!s.reveal().startsWith(SETUP_TOKEN_PREFIX)) {
      throw CliException.badInput(
          "not an Anthropic setup token: it must start with "
              + SETUP_TOKEN_PREFIX
              + " (run `claude setup-token` to get one); for an API key use `tokensink models auth add-key --provider anthropic`");
    }
    if (s.length() < SETUP_TOKEN_MIN) {
      throw CliException.badInput(
          "setup token is too short ("
              + s.length()
              + " characters, at least "
              + SETUP_TOKEN_MIN
              + " expected): it was probably cut off when pasting");
    }
    return s;
  }
}
