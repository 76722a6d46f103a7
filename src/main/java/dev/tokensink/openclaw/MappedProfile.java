package dev.tokensink.openclaw;

import dev.tokensink.model.Profile;
import dev.tokensink.model.ReauthMark;
import java.util.List;

/**
 * The tokensink form of one OpenClaw profile: {@code sourceId} is OpenClaw's id, {@code profile}
 * may carry another ({@code openai:x} OAuth → {@code openai-codex:x}). {@code reauth} is set for a
 * refresh fence marker, {@code needsLogin} for anything a person must log in again for; {@code
 * unresolved} for a secret ref tokensink cannot resolve ({@code exec}/{@code store}).
 */
record MappedProfile(
    String sourceId,
    Profile profile,
    SourceEntry entry,
    ReauthMark reauth,
    String needsLogin,
    String unresolved,
    List<String> warnings) {

  MappedProfile {
    warnings = List.copyOf(warnings);
  }
}
