package dev.tokensink.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProfileType;
import dev.tokensink.model.ProviderId;
import dev.tokensink.model.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The runtime cache file {@code agents/<id>/agent/auth.json} ("file sink", docs/rules.md §1) for
 * consumers that read files instead of calling gRPC. Shape:
 *
 * <pre>{"version":1, "sink":"tokensink", "writtenAt":ms,
 *  "providers":{"anthropic":{"profileId":"anthropic:work","type":"token","secret":"…","expires":ms}}}
 * </pre>
 *
 * The {@code "sink":"tokensink"} marker (and the {@code providers} key) tells it apart from
 * OpenClaw's flat legacy auth.json, so it is never imported as a source of truth. Written
 * atomically, 0600, under the agent lock (which also guards the cleanup of crashed temp files).
 */
public final class FileSink {
  /**
   * What the sink says about one provider. {@code expires} is null when the credential does not
   * expire.
   */
  public record Entry(ProfileId profileId, ProfileType type, Secret secret, Long expires) {}

  private final FileStore store;
  private final Clock clock;

  public FileSink(FileStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** True for a file tokensink wrote as its sink. */
  public static boolean isSink(JsonNode root) {
    return root != null && "tokensink".equals(root.path("sink").asText(null));
  }

  /**
   * Replaces the agent's sink with {@code entries}. Refuses to replace a flat legacy auth.json that
   * is still waiting for its import (the agent has no auth-profiles.json yet).
   */
  public void writeSink(AgentId agent, Map<ProviderId, Entry> entries) {
    ObjectNode root = StoreJson.MAPPER.createObjectNode();
    root.put("version", 1).put("sink", "tokensink").put("writtenAt", clock.millis());
    ObjectNode providers = root.putObject("providers");
    new TreeMap<>(entries)
        .forEach(
            (provider, e) -> {
              ObjectNode p = providers.putObject(provider.value());
              p.put("profileId", e.profileId().toString())
                  .put("type", e.type().json())
                  .put("secret", e.secret().reveal());
              if (e.expires() != null) {
                p.put("expires", e.expires());
              }
            });
    byte[] bytes = StoreJson.bytes(root);
    // as read back (numbers parse to the narrowest node type), to compare with the file on disk
    JsonNode written = StoreJson.parse(bytes, FileStore.LEGACY_FILE).get("providers");
    store.underLock(
        agent,
        dir -> {
          Path file = dir.resolve(FileStore.LEGACY_FILE);
          Optional<byte[]> existing = AtomicFiles.readIfExists(file);
          if (existing.isPresent()) {
            String label = FileStore.label(store.stateDir(), file);
            JsonNode old;
            if (Files.exists(dir.resolve(FileStore.PROFILES_FILE))) {
              old = parsedOrNull(existing.get(), label); // anything may be replaced now
            } else {
              old = StoreJson.parse(existing.get(), label);
              if (!isSink(old)) {
                throw new StoreException(
                    label + " is a legacy credential file not imported yet; read the agent first");
              }
            }
            if (isSink(old) && written.equals(old.get("providers"))) {
              // the same credentials as on disk (a restart): no write, no fsync per agent
              return null;
            }
          }
          AtomicFiles.cleanupTemps(dir, FileStore.LEGACY_FILE);
          AtomicFiles.write(file, bytes);
          return null;
        });
  }

  private static JsonNode parsedOrNull(byte[] bytes, String label) {
    try {
      return StoreJson.parse(bytes, label);
    } catch (StoreException e) {
      return null;
    }
  }
}
