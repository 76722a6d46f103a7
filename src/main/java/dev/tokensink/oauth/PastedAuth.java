package dev.tokensink.oauth;

import dev.tokensink.model.Secret;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads what a person pasted after signing in on another device: the full redirect URL, a query
 * string with {@code code=}, {@code code#state}, or a bare code. A present state must match. Error
 * messages never echo the pasted text (it may hold a code).
 */
public final class PastedAuth {
  private static final Pattern BARE_CODE = Pattern.compile("[A-Za-z0-9._~+/=-]{1,4096}");
  private static final String FORMS =
      "paste the full redirect URL (http://…/callback?code=…&state=…), code#state, or the code alone";

  private PastedAuth() {}

  /** Parses one pasted line; throws {@link LoginException} (bad input, or the provider's error). */
  public static AuthCode parse(String pasted, String expectedState) throws LoginException {
    String s = pasted == null ? "" : pasted.strip();
    if (s.isEmpty()) {
      throw LoginException.badInput("nothing was pasted; " + FORMS);
    }
    if (s.startsWith("http://") || s.startsWith("https://")) {
      URI uri;
      try {
        uri = URI.create(s);
      } catch (IllegalArgumentException e) {
        throw LoginException.badInput("the pasted URL is malformed; " + FORMS);
      }
      Map<String, String> q = query(uri.getRawQuery());
      if (!q.containsKey("code") && !q.containsKey("error")) {
        q = query(uri.getRawFragment());
      }
      return fromParams(q, expectedState, "the pasted URL");
    }
    if (s.contains("code=") || s.contains("error=")) {
      int at = s.indexOf('?');
      return fromParams(
          query(at >= 0 ? s.substring(at + 1) : s), expectedState, "the pasted query");
    }
    int hash = s.indexOf('#');
    if (hash > 0 && BARE_CODE.matcher(s.substring(0, hash)).matches()) {
      String state = s.substring(hash + 1);
      return fromParams(
          Map.of("code", s.substring(0, hash), "state", state),
          expectedState,
          "the pasted code#state");
    }
    if (BARE_CODE.matcher(s).matches()) {
      return new AuthCode(Secret.of(s), null);
    }
    throw LoginException.badInput("the pasted text is not an authorization answer; " + FORMS);
  }

  /**
   * Turns redirect parameters into a code: {@code error} → refused by the provider (exit 1); a
   * present state that differs → bad input; no code → bad input.
   */
  static AuthCode fromParams(Map<String, String> q, String expectedState, String where)
      throws LoginException {
    String state = q.get("state");
    if (state != null && !state.equals(expectedState)) {
      throw LoginException.badInput(
          "state mismatch in "
              + where
              + ": it belongs to a different login attempt; use the URL printed by this login");
    }
    String error = q.get("error");
    if (error != null) {
      String desc = q.get("error_description");
      throw LoginException.failed(
          "the provider refused the sign-in: "
              + Redaction.clean(error, List.of())
              + (desc == null ? "" : " (" + Redaction.clean(desc, List.of()) + ")"));
    }
    String code = q.get("code");
    if (code == null || code.isBlank()) {
      throw LoginException.badInput(where + " has no code; " + FORMS);
    }
    return new AuthCode(Secret.of(code), state);
  }

  static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      try {
        out.putIfAbsent(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        // a malformed %-escape: the parameter is ignored
      }
    }
    return out;
  }
}
