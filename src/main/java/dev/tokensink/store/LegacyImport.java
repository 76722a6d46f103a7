package dev.tokensink.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Profile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one-time import of docs/rules.md §1, for an agent whose auth-profiles.json is missing: its
 * flat legacy {@code auth.json} (provider → credential, no {@code profiles} key, not tokensink's
 * own sink file), then, for the default agent only, {@code credentials/oauth.json} (provider →
 * oauth fields). Entries become {@code <provider>:default}; an id already taken is never
 * overwritten. Entries that cannot be understood are skipped (they stay in the renamed-aside or
 * unchanged source file). Reads within the store's file limits (no symlinks unless allowed, bounded
 * size); returns what to write; the {@link FileStore} writes under the agent lock.
 */
final class LegacyImport {
  /** The imported snapshot, and the legacy file to rename aside once it is written (or null). */
  record Result(AgentSnapshot snapshot, Path renameAside, List<String> skipped) {}

  private LegacyImport() {}

  static Optional<Result> run(
      AgentId agent, Path agentDir, FileStoreSettings limits, boolean defaultAgent)
      throws IOException {
    Path stateDir = limits.stateDir();
    AgentSnapshot s = AgentSnapshot.empty(agent);
    List<String> skipped = new ArrayList<>();
    Path flat = agentDir.resolve(FileStore.LEGACY_FILE);
    Path renameAside = null;
    Optional<byte[]> flatBytes = StateFiles.read(flat, limits);
    if (flatBytes.isPresent()) {
      JsonNode root = StoreJson.parse(flatBytes.get(), FileStore.label(stateDir, flat));
      if (!root.has("profiles") && !FileSink.isSink(root)) {
        s = add(s, root, null, skipped);
        renameAside = flat;
      }
    }
    Path oauth = stateDir.resolve("credentials").resolve("oauth.json");
    boolean fromOauth = false;
    if (defaultAgent) {
      Optional<byte[]> oauthBytes = StateFiles.read(oauth, limits);
      if (oauthBytes.isPresent()) {
        s =
            add(
                s,
                StoreJson.parse(oauthBytes.get(), FileStore.label(stateDir, oauth)),
                "oauth",
                skipped);
        fromOauth = true;
      }
    }
    return renameAside == null && !fromOauth
        ? Optional.empty()
        : Optional.of(new Result(s, renameAside, skipped));
  }

  private static AgentSnapshot add(
      AgentSnapshot s, JsonNode root, String defaultType, List<String> skipped) {
    var it = root.fields();
    while (it.hasNext()) {
      var e = it.next();
      String id = e.getKey() + ":default";
      try {
        JsonNode entry = e.getValue();
        String type = defaultType != null ? defaultType : inferType(entry);
        if (type != null && entry.isObject() && !entry.has("type") && !entry.has("mode")) {
          ObjectNode typed = StoreJson.MAPPER.createObjectNode().put("type", type);
          typed.setAll((ObjectNode) entry);
          entry = typed;
        }
        Profile p = StoreJson.parseProfile(id, entry);
        if (s.profile(p.id()) == null) {
          s = s.withProfile(p);
        }
      } catch (IllegalArgumentException bad) {
        skipped.add(bad.getMessage());
      }
    }
    return s;
  }

  /** Very old flat entries may lack a type: it follows from the secret field they carry. */
  private static String inferType(JsonNode entry) {
    if (entry.has("access")) {
      return "oauth";
    }
    if (entry.has("token")) {
      return "token";
    }
    return entry.has("key") || entry.has("apiKey") ? "api_key" : null;
  }
}
