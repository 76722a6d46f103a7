package dev.tokensink.openclaw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.store.StoreException;
import dev.tokensink.store.StoreJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads one agent of OpenClaw's JSON layout (releases up to 2026.5, docs/rules.md §1):
 * auth-profiles.json (older single file with order/lastGood/usageStats inside, or the split layout
 * with auth-state.json, whose entries win), else the flat legacy {@code auth.json} and, for the
 * default agent only, {@code credentials/oauth.json}, as {@code <provider>:default}. Only these
 * exact names are read, so leftovers ({@code *.migrated-…}, {@code *.bak}) are never taken for
 * current data.
 */
final class JsonSource {
  private static final String[] STATE_FIELDS = {"order", "lastGood", "usageStats"};

  private JsonSource() {}

  static RawStore readAgent(Path stateDir, String agent, boolean isDefault) {
    Path dir = stateDir.resolve("agents").resolve(agent).resolve("agent");
    String label = "agents/" + agent + "/agent";
    RawStore out = RawStore.empty(label);
    Path profilesFile = dir.resolve("auth-profiles.json");
    if (Files.isRegularFile(profilesFile)) {
      ObjectNode file = read(profilesFile, label + "/auth-profiles.json");
      JsonNode profiles = file.get("profiles");
      if (profiles != null && !profiles.isNull() && !profiles.isObject()) {
        throw OpenClawImportException.badInput(
            label + "/auth-profiles.json has a \"profiles\" field that is not an object");
      }
      if (profiles != null && profiles.isObject()) {
        out.profiles().setAll((ObjectNode) profiles);
      }
      overlayState(out.state(), file);
    } else {
      Path flat = dir.resolve("auth.json");
      if (Files.isRegularFile(flat)) {
        ObjectNode legacy = read(flat, label + "/auth.json");
        if (!legacy.has("profiles")) { // with "profiles" it is a runtime cache, never a source
          addDefaults(out.profiles(), legacy, null);
        }
      }
      Path oauth = stateDir.resolve("credentials").resolve("oauth.json");
      if (isDefault && Files.isRegularFile(oauth)) {
        addDefaults(out.profiles(), read(oauth, "credentials/oauth.json"), "oauth");
      }
    }
    Path stateFile = dir.resolve("auth-state.json");
    if (Files.isRegularFile(stateFile)) {
      overlayState(out.state(), read(stateFile, label + "/auth-state.json"));
    }
    return out;
  }

  static boolean hasAgentFiles(Path agentDir) {
    for (String name : new String[] {"auth-profiles.json", "auth-state.json", "auth.json"}) {
      if (Files.isRegularFile(agentDir.resolve(name))) {
        return true;
      }
    }
    return false;
  }

  /** Legacy flat map provider → credential; an existing id is never overwritten. */
  private static void addDefaults(ObjectNode profiles, ObjectNode flat, String impliedType) {
    for (Map.Entry<String, JsonNode> e : flat.properties()) {
      String id = e.getKey() + ":default";
      if (profiles.has(id) || !e.getValue().isObject()) {
        continue;
      }
      ObjectNode entry = ((ObjectNode) e.getValue()).deepCopy();
      if (!entry.has("type") && !entry.has("mode") && impliedType != null) {
        entry.put("type", impliedType);
      }
      if (!entry.has("provider")) {
        entry.put("provider", e.getKey());
      }
      profiles.set(id, entry);
    }
  }

  /** order and lastGood merge per provider, usageStats per profile id; {@code from} wins. */
  static void overlayState(ObjectNode into, JsonNode from) {
    for (String field : STATE_FIELDS) {
      JsonNode v = from.get(field);
      if (v != null && v.isObject()) {
        JsonNode existing = into.get(field);
        ObjectNode target = existing instanceof ObjectNode o ? o : into.putObject(field);
        target.setAll((ObjectNode) v.deepCopy());
      }
    }
  }

  private static ObjectNode read(Path file, String label) {
    try {
      return (ObjectNode) StoreJson.parse(Files.readAllBytes(file), label);
    } catch (StoreException e) {
      throw OpenClawImportException.badInput(
          e.getMessage()
              .replace(
                  "; fix or move the file aside (tokensink never overwrites it)",
                  "; OpenClaw's own data is left as it is"));
    } catch (IOException e) {
      throw OpenClawImportException.badInput(
          label + " cannot be read: " + e.getClass().getSimpleName());
    }
  }
}
