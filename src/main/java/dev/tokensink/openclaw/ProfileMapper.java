package dev.tokensink.openclaw;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProviderId;
import dev.tokensink.model.ReauthMark;
import dev.tokensink.model.SecretRef;
import dev.tokensink.store.StoreJson;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps one OpenClaw profile entry to a tokensink profile (docs/openclaw-sqlite.md "Values that are
 * not credentials", "Names that changed"). Parsing is the store codec's ({@link
 * StoreJson#parseProfile}).
 *
 * <p>A refresh-fence marker ({@code expires} 1, access/refresh {@code
 * openclaw-oauth-refresh-fence:v1:…}) is OpenClaw's note that a refresh was in flight (or failed,
 * {@code :failed:}). The marker strings are not tokens: the profile is stored as an {@code oauth}
 * credential with an empty access token, no refresh token and {@code expires} 1, plus a {@link
 * ReauthMark}; it is never served nor refreshed.
 */
final class ProfileMapper {
  static final String FENCE = "openclaw-oauth-refresh-fence:v1:";
  static final ProviderId OPENAI = ProviderId.of("openai");
  static final ProviderId OPENAI_CODEX = ProviderId.of("openai-codex");

  private final SecretRefCheck refs;
  private final long now;

  ProfileMapper(SecretRefCheck refs, long now) {
    this.refs = refs;
    this.now = now;
  }

  /**
   * @throws SkipException with a message naming the source and the profile
   */
  MappedProfile map(SourceEntry e) {
    boolean fenced =
        e.isOAuth()
            && (isFence(e.raw().path("access").asText(null))
                || isFence(e.raw().path("refresh").asText(null)));
    boolean failed =
        fenced
            && (e.raw().path("access").asText("").contains(":failed:")
                || e.raw().path("refresh").asText("").contains(":failed:"));
    ObjectNode raw = ((ObjectNode) e.raw()).deepCopy();
    if (fenced) { // the marker strings never enter tokensink
      raw.put("access", "");
      raw.remove("refresh");
      raw.put("expires", 1);
    }
    Profile p;
    try {
      p = StoreJson.parseProfile(e.id(), raw);
    } catch (IllegalArgumentException bad) {
      throw new SkipException(e.label() + ": " + bad.getMessage());
    }
    if (p.type() == dev.tokensink.model.ProfileType.OAUTH && p.provider().equals(OPENAI)) {
      // 2026.6+ calls ChatGPT/Codex OAuth "openai"; tokensink keeps "openai" for API keys only
      p =
          new Profile(
              ProfileId.of(OPENAI_CODEX, p.id().name()),
              OPENAI_CODEX,
              p.credential(),
              p.email(),
              p.displayName(),
              p.extra());
    }
    List<String> warnings = new ArrayList<>();
    String unresolved = null;
    SecretRef ref = refOf(p.credential());
    if (ref != null) {
      SecretRefCheck.Result r = refs.check(ref, e.label() + ": profile " + e.id());
      if (r.rewritten() != null) {
        p = p.withCredential(withRef(p.credential(), r.rewritten()));
      }
      warnings.addAll(r.warnings());
      unresolved = r.unresolved();
    }
    ReauthMark mark = null;
    String needsLogin = null;
    if (fenced) {
      needsLogin =
          failed
              ? "refresh failed in OpenClaw; log in again"
              : "refresh was in progress in OpenClaw; log in again";
      mark = new ReauthMark(needsLogin, now);
    } else if (p.credential() instanceof Credential.Token t
        && t.expires() != null
        && t.expires() <= now) {
      needsLogin = "token expired; paste a new one";
    } else if (p.credential() instanceof Credential.OAuth o
        && o.refresh() == null
        && o.expires() <= now) {
      needsLogin = "expired and has no refresh token; log in again";
    }
    return new MappedProfile(e.id(), p, e, mark, needsLogin, unresolved, warnings);
  }

  private static boolean isFence(String s) {
    return s != null && s.startsWith(FENCE);
  }

  private static SecretRef refOf(Credential c) {
    if (c instanceof Credential.ApiKey k) {
      return k.keyRef();
    }
    return c instanceof Credential.Token t ? t.tokenRef() : null;
  }

  private static Credential withRef(Credential c, SecretRef ref) {
    if (c instanceof Credential.ApiKey k) {
      return new Credential.ApiKey(k.key(), ref, k.metadata());
    }
    Credential.Token t = (Credential.Token) c;
    return new Credential.Token(t.token(), ref, t.expires());
  }

  /** A profile that cannot be imported; the message names the source and the profile. */
  static final class SkipException extends RuntimeException {
    SkipException(String message) {
      super(message, null, false, false);
    }
  }
}
