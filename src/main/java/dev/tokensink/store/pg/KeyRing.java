package dev.tokensink.store.pg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.store.StoreException;
import dev.tokensink.store.StoreJson;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-GCM keys of {@code tokensink.encryption-key}. The value is a comma-separated list; each
 * entry is {@code kid:base64} or a bare {@code base64} (16, 24 or 32 bytes). A bare key's id is
 * {@code k} + the first 8 hex digits of SHA-256 over the key, so it is stable and a swapped key is
 * detected by id. The first entry encrypts; every entry decrypts, so keys rotate by putting the new
 * key first and keeping the old one until every value was rewritten.
 *
 * <p>A sealed value is the JSON object {@code {"$enc":"v1","kid":…,"ct":base64(nonce ‖ ciphertext ‖
 * tag)}} with a random 96-bit nonce per value. The associated data binds it to its place (agent,
 * profile, field), so a ciphertext copied into another row does not decrypt. Thread-safe. Error
 * messages name key ids and places, never key material or plaintext.
 */
public final class KeyRing {
  /** No key: values are stored in plaintext. */
  public static final KeyRing NONE = new KeyRing(new LinkedHashMap<>());

  static final String MARKER = "$enc";
  private static final String FORMAT = "v1";
  private static final Pattern KID = Pattern.compile("[A-Za-z0-9._-]{1,32}");
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, SecretKeySpec> keys;
  private final String activeKid;

  private KeyRing(LinkedHashMap<String, SecretKeySpec> keys) {
    this.keys = keys;
    this.activeKid = keys.isEmpty() ? null : keys.keySet().iterator().next();
  }

  /** Parses the configured value; null or blank gives {@link #NONE}. */
  public static KeyRing parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return NONE;
    }
    LinkedHashMap<String, SecretKeySpec> keys = new LinkedHashMap<>();
    int n = 0;
    for (String entry : spec.split(",")) {
      n++;
      String e = entry.trim();
      int colon = e.indexOf(':'); // ':' is not in the base64 alphabet, so it only ends a kid
      String kid = colon < 0 ? null : e.substring(0, colon).trim();
      byte[] raw =
          decode(
              colon < 0 ? e : e.substring(colon + 1).trim(),
              kid == null ? "entry " + n : "'" + kid + "'");
      if (kid == null) {
        kid = fingerprint(raw);
      } else if (!KID.matcher(kid).matches()) {
        throw new IllegalArgumentException(
            "tokensink.encryption-key entry " + n + ": key id must match " + KID.pattern());
      }
      if (keys.put(kid, new SecretKeySpec(raw, "AES")) != null) {
        throw new IllegalArgumentException(
            "tokensink.encryption-key names key id '" + kid + "' twice");
      }
    }
    return new KeyRing(keys);
  }

  private static byte[] decode(String b64, String which) {
    byte[] raw;
    try {
      raw =
          b64.contains("-") || b64.contains("_")
              ? Base64.getUrlDecoder().decode(b64)
              : Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "tokensink.encryption-key " + which + " is not valid base64");
    }
    if (raw.length != 16 && raw.length != 24 && raw.length != 32) {
      throw new IllegalArgumentException(
          "tokensink.encryption-key "
              + which
              + " decodes to "
              + raw.length
              + " bytes; an AES key needs 16, 24 or 32 (e.g. `openssl rand -base64 32`)");
    }
    return raw;
  }

  private static String fingerprint(byte[] raw) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(raw);
      return "k" + HexFormat.of().formatHex(d, 0, 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** Whether values are encrypted on write. */
  public boolean encrypts() {
    return activeKid != null;
  }

  /** The id of the key that encrypts new values; null without a key. */
  public String activeKid() {
    return activeKid;
  }

  static boolean isSealed(JsonNode n) {
    return n != null && n.isObject() && n.has(MARKER);
  }

  /** Encrypts with the active key; {@code place} is the associated data (not secret). */
  ObjectNode seal(String plaintext, String place) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, keys.get(activeKid), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(place.getBytes(StandardCharsets.UTF_8));
      byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[nonce.length + ct.length];
      System.arraycopy(nonce, 0, out, 0, nonce.length);
      System.arraycopy(ct, 0, out, nonce.length, ct.length);
      ObjectNode env = StoreJson.MAPPER.createObjectNode();
      env.put(MARKER, FORMAT)
          .put("kid", activeKid)
          .put("ct", Base64.getEncoder().encodeToString(out));
      return env;
    } catch (GeneralSecurityException e) {
      throw new StoreException("cannot encrypt " + place + ": " + e.getClass().getSimpleName());
    }
  }

  /** Decrypts a sealed value; the error names {@code place} and the key id, never the value. */
  String open(JsonNode env, String place) {
    String kid = env.path("kid").asText("");
    if (!FORMAT.equals(env.path(MARKER).asText())) {
      throw new StoreException(
          place + " is sealed in an unknown format; a newer tokensink wrote it");
    }
    SecretKeySpec key = keys.get(kid);
    if (key == null) {
      throw new StoreException(
          place
              + " is encrypted with key id '"
              + kid
              + "', which is not configured "
              + (keys.isEmpty()
                  ? "(tokensink.encryption-key is empty)"
                  : "(configured: " + keys.keySet() + ")")
              + "; add that key to tokensink.encryption-key as "
              + kid
              + ":BASE64");
    }
    try {
      byte[] in = Base64.getDecoder().decode(env.path("ct").asText(""));
      if (in.length < NONCE_BYTES + TAG_BITS / 8) {
        throw new AEADBadTagException("short");
      }
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      c.updateAAD(place.getBytes(StandardCharsets.UTF_8));
      return new String(
          c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (AEADBadTagException | IllegalArgumentException e) {
      throw new StoreException(
          "cannot decrypt "
              + place
              + " with key id '"
              + kid
              + "': the configured key for that id is wrong, or the stored value was modified");
    } catch (GeneralSecurityException e) {
      throw new StoreException("cannot decrypt " + place + ": " + e.getClass().getSimpleName());
    }
  }

  @Override
  public String toString() {
    return "KeyRing" + keys.keySet();
  }
}
