package dev.tokensink.openclaw;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.store.StoreJson;

/**
 * One OpenClaw credential store as read, before any mapping: the {@code profiles} object of an
 * auth-profiles.json-shaped blob and an auth-state.json-shaped state object ({@code order}, {@code
 * lastGood}, {@code usageStats}). {@code label} names where it came from, for messages.
 */
record RawStore(ObjectNode profiles, ObjectNode state, String label) {
  static RawStore empty(String label) {
    return new RawStore(
        StoreJson.MAPPER.createObjectNode(), StoreJson.MAPPER.createObjectNode(), label);
  }

  boolean isEmpty() {
    return profiles.isEmpty() && state.isEmpty();
  }
}
