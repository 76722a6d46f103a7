package dev.tokensink.routing;

import dev.tokensink.model.InvalidIdException;
import dev.tokensink.model.ProfileId;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A parsed {@code profile_override} (docs/rules.md §3): a model alias, a pinned profile, or both.
 * Both null means "no override". Named {@code ProfileOverride} rather than {@code Override} so that
 * {@code @Override} keeps meaning {@link java.lang.Override} inside this package.
 *
 * <p>Accepted forms: empty; a bare profile id {@code anthropic:work}; {@code model@profileId}; a
 * bare model; each optionally as a chat command {@code /model ARG}. Grammar of the argument:
 *
 * <ul>
 *   <li>characters {@code [A-Za-z0-9_.:@/+-]} only, at most {@value #MAX_BYTES} bytes;
 *   <li>the profile starts at the first {@code @} after the last {@code /} whose following segment
 *       (up to the next {@code @}) is not a model tag and whose rest contains a colon; a model tag
 *       is an 8-digit date ({@code 20250514}) or a quantization tag (see {@link #isModelTag}). Tags
 *       never contain a colon and profile ids always do, so the split is unambiguous;
 *   <li>the profile part may contain further {@code @} (an email as the profile name);
 *   <li>without such an {@code @}: text containing {@code :} but no {@code /} is a bare profile id
 *       ({@code openai-codex:me@example.com}); text with another non-tag {@code @} is {@code
 *       model@profile} with a malformed profile ({@code Opus@work}: INVALID_ARGUMENT rather than a
 *       model silently named {@code Opus@work}); anything else is a model-only override. A model
 *       named like {@code llama3:8b} therefore needs its namespace ({@code ollama/llama3:8b}) or a
 *       profile to be read as a model;
 *   <li>{@code @profile} with an empty model is malformed (write the bare profile id instead), as
 *       is {@code model@} with an empty profile.
 * </ul>
 */
public record ProfileOverride(String model, ProfileId profile) {

  public static final ProfileOverride NONE = new ProfileOverride(null, null);
  static final int MAX_BYTES = 512;

  private static final String COMMAND = "/model";
  private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_.:@/+-]+");

  /**
   * Quantization tags: {@code q8_0}, {@code q4_k_m}, {@code iq2_xxs} ({@code i?q<bits>} plus up to
   * three {@code _part}s), {@code 4bit}/{@code 8bit}, {@code fp16}, {@code bf16}, {@code f16},
   * {@code int4}/{@code int8}, {@code nf4}; case-insensitive.
   */
  private static final Pattern MODEL_TAG =
      Pattern.compile(
          "(?i)\\d{8}|i?q\\d{1,2}(_[a-z0-9]{1,4}){0,3}|\\d{1,2}bit|(fp|bf|f|int|uint)\\d{1,2}|nf4");

  public ProfileOverride {
    if (model != null && model.isEmpty()) {
      model = null;
    }
  }

  public boolean isEmpty() {
    return model == null && profile == null;
  }

  /**
   * Parses an override; throws {@link RoutingException} {@code INVALID_ARGUMENT} when malformed.
   */
  public static ProfileOverride parse(String text) {
    if (text == null) {
      return NONE;
    }
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      throw invalid("override is too long (" + bytes + " bytes, at most " + MAX_BYTES + ")");
    }
    String arg = stripCommand(text.strip());
    if (arg.isEmpty()) {
      return NONE;
    }
    if (!ALLOWED.matcher(arg).matches()) {
      throw invalid(
          "override '"
              + dev.tokensink.model.Echo.of(arg)
              + "' may only contain letters, digits and _ . : @ / + -"
              + " (no spaces); e.g. Opus@anthropic:work");
    }
    int at = profileDelimiter(arg, true);
    if (at < 0) {
      if (arg.indexOf(':') >= 0 && arg.indexOf('/') < 0) {
        return new ProfileOverride(null, profileId(arg, arg));
      }
      at = profileDelimiter(arg, false);
      if (at < 0) {
        return new ProfileOverride(arg, null);
      }
    }
    String model = arg.substring(0, at);
    String profile = arg.substring(at + 1);
    if (model.isEmpty()) {
      throw invalid(
          "override '"
              + dev.tokensink.model.Echo.of(arg)
              + "' has no model before '@'; to pin a profile write"
              + " its bare id ("
              + dev.tokensink.model.Echo.of(looksLikeProfile(profile) ? profile : "anthropic:work")
              + ") or MODEL@PROFILE");
    }
    if (profile.isEmpty()) {
      throw invalid(
          "override '"
              + dev.tokensink.model.Echo.of(arg)
              + "' has no profile after '@'; write MODEL@provider:name"
              + " or just the model");
    }
    return new ProfileOverride(model, profileId(profile, arg));
  }

  /** Whether {@code text} is a valid profile id (so it can be suggested back to the caller). */
  private static boolean looksLikeProfile(String text) {
    try {
      ProfileId.parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** True for a segment after {@code @} that belongs to the model name (date or quantization). */
  static boolean isModelTag(String segment) {
    return MODEL_TAG.matcher(segment).matches();
  }

  private static String stripCommand(String text) {
    if (!text.startsWith("/")) {
      return text;
    }
    int end = 0;
    while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
      end++;
    }
    String word = text.substring(0, end);
    if (!word.equals(COMMAND)) {
      throw invalid(
          "unknown command '"
              + dev.tokensink.model.Echo.of(word)
              + "'; only "
              + COMMAND
              + " MODEL@PROFILE is accepted");
    }
    String arg = text.substring(end).strip();
    if (arg.isEmpty()) {
      throw invalid(COMMAND + " needs an argument, e.g. " + COMMAND + " Opus@anthropic:work");
    }
    return arg;
  }

  /**
   * Index of the {@code @} that starts the profile, or -1: the first {@code @} after the last
   * {@code /} that is not followed by a model tag and, if {@code needColon}, is followed by text
   * with a colon (a profile id always has one, so {@code openai-codex:me@example.com} stays whole).
   */
  private static int profileDelimiter(String arg, boolean needColon) {
    int at = arg.indexOf('@', arg.lastIndexOf('/') + 1);
    while (at >= 0) {
      int next = arg.indexOf('@', at + 1);
      String segment = arg.substring(at + 1, next < 0 ? arg.length() : next);
      if (!isModelTag(segment) && (!needColon || arg.indexOf(':', at + 1) >= 0)) {
        return at;
      }
      at = next;
    }
    return -1;
  }

  private static ProfileId profileId(String text, String whole) {
    try {
      return ProfileId.parse(text);
    } catch (InvalidIdException e) {
      throw invalid("override '" + dev.tokensink.model.Echo.of(whole) + "': " + e.getMessage());
    }
  }

  private static RoutingException invalid(String message) {
    return new RoutingException(RoutingException.Kind.INVALID_ARGUMENT, message);
  }
}
