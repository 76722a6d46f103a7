package dev.tokensink.grpc;

import dev.tokensink.broker.BrokerException;
import java.nio.charset.StandardCharsets;

/**
 * Upper bounds on request strings, checked before anything parses them (docs/api.md: ids, overrides
 * of at most 512 bytes). The message names the field and the bound, never the value.
 */
final class RequestBounds {
  static final int ID = 64;
  static final int PROFILE_ID = 64 + 1 + 128;
  static final int OVERRIDE = 512;
  static final int SESSION = 256;
  static final int MODEL = 256;

  private RequestBounds() {}

  static void check(String field, String value, int maxBytes) {
    if (value.length() > maxBytes || value.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      throw new BrokerException(
          BrokerException.Code.INVALID_ARGUMENT, field + " is longer than " + maxBytes + " bytes");
    }
  }
}
