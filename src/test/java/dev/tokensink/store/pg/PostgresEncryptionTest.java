package dev.tokensink.store.pg;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.store.StoreException;
import dev.tokensink.testing.PostgresServer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresServer.class)
class PostgresEncryptionTest {
  private static final AgentId MAIN = AgentId.MAIN;
  private static final List<String> SECRETS =
      List.of(
          Samples.ACCESS,
          Samples.REFRESH,
          Samples.API_KEY,
          Samples.TOKEN,
          "eyJ-id-token-secret",
          "INVALID-ENTRY-SECRET");

  @Test
  void encryptedStore_roundTrips_andTheTableHoldsNoSecret(PostgresServer pg) throws Exception {
    String url = pg.newDatabase();
    String key = "k1:" + newKey();
    try (PostgresStore store = open(url, key)) {
      write(store, Samples.full(MAIN));
      Snapshots.assertSame(Samples.full(MAIN), store.read(MAIN).orElseThrow());
    }
    String raw = PgRows.allText(url, MAIN);
    SECRETS.forEach(s -> assertFalse(raw.contains(s), "ciphertext only in the table"));
    assertTrue(raw.contains("\"kid\": \"k1\""), raw);
    assertTrue(
        PgRows.profileJson(url, MAIN, "anthropic:work").contains("\"expires\": 1800000000000"),
        "non-secret fields stay readable");
  }

  @Test
  void wrongKeyForTheSameId_failsNamingTheKeyId_withoutSecrets(PostgresServer pg) {
    String url = pg.newDatabase();
    String right = newKey();
    String wrong = newKey();
    try (PostgresStore store = open(url, "k1:" + right)) {
      write(store, Samples.full(MAIN));
    }
    try (PostgresStore store = open(url, "k1:" + wrong)) {
      StoreException e = assertThrows(StoreException.class, () -> store.read(MAIN));
      assertTrue(
          e.getMessage().contains("key id 'k1'") && e.getMessage().contains("anthropic:work"),
          e.getMessage());
      assertNoSecret(e.getMessage(), right, wrong);
    }
  }

  @Test
  void valueOfAnUnconfiguredKeyId_failsNamingIt(PostgresServer pg) {
    String url = pg.newDatabase();
    try (PostgresStore store = open(url, "old:" + newKey())) {
      write(store, Samples.full(MAIN));
    }
    try (PostgresStore store = open(url, "new:" + newKey())) {
      StoreException e = assertThrows(StoreException.class, () -> store.read(MAIN));
      assertTrue(
          e.getMessage().contains("key id 'old'") && e.getMessage().contains("[new]"),
          e.getMessage());
    }
    try (PostgresStore store = open(url, null)) {
      StoreException e = assertThrows(StoreException.class, () -> store.read(MAIN));
      assertTrue(
          e.getMessage().contains("key id 'old'")
              && e.getMessage().contains("tokensink.encryption-key is empty"),
          e.getMessage());
    }
  }

  @Test
  void rotation_newKeyFirst_readsOldValuesAndSealsRewritesWithTheNewKey(PostgresServer pg)
      throws Exception {
    String url = pg.newDatabase();
    String oldKey = newKey();
    try (PostgresStore store = open(url, oldKey)) { // a bare key: its id is derived from the key
      write(store, Samples.full(MAIN));
    }
    String oldKid = KeyRing.parse(oldKey).activeKid();
    assertTrue(PgRows.profileJson(url, MAIN, "anthropic:work").contains(oldKid));
    try (PostgresStore store = open(url, "k2:" + newKey() + "," + oldKey)) {
      Snapshots.assertSame(Samples.full(MAIN), store.read(MAIN).orElseThrow());
      write(
          store,
          store
              .read(MAIN)
              .orElseThrow()
              .withProfile(Samples.oauth("anthropic:work", "rotated-access", 9L)));
    }
    String json = PgRows.profileJson(url, MAIN, "anthropic:work");
    assertTrue(json.contains("\"kid\": \"k2\"") && !json.contains(oldKid), json);
  }

  @Test
  void plaintextStore_thenAKey_readsOldRowsAndEncryptsOnTheNextWrite(PostgresServer pg)
      throws Exception {
    String url = pg.newDatabase();
    try (PostgresStore store = open(url, null)) {
      write(store, Samples.full(MAIN));
    }
    assertTrue(
        PgRows.profileJson(url, MAIN, "anthropic:work").contains(Samples.ACCESS),
        "plaintext without a key");
    try (PostgresStore store = open(url, "k1:" + newKey())) {
      write(
          store,
          store
              .read(MAIN)
              .orElseThrow()
              .withProfile(Samples.oauth("anthropic:work", Samples.ACCESS, 2L)));
    }
    assertFalse(PgRows.profileJson(url, MAIN, "anthropic:work").contains(Samples.ACCESS));
  }

  @Test
  void keyRing_rejectsMalformedKeys_withoutEchoingThem() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[10]);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KeyRing.parse("k1:" + shortKey));
    assertTrue(
        e.getMessage().contains("10 bytes") && e.getMessage().contains("'k1'"), e.getMessage());
    assertNoSecret(e.getMessage(), shortKey);
    e = assertThrows(IllegalArgumentException.class, () -> KeyRing.parse("not base64!!"));
    assertTrue(
        e.getMessage().contains("not valid base64") && !e.getMessage().contains("not base64!!"),
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> KeyRing.parse("a:" + newKey() + ",a:" + newKey()));
    assertFalse(KeyRing.parse(" ").encrypts());
  }

  private static void assertNoSecret(String message, String... keys) {
    SECRETS.forEach(s -> assertFalse(message.contains(s), message));
    for (String k : keys) {
      assertFalse(message.contains(k), "no key material in the message");
    }
  }

  private static String newKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return Base64.getEncoder().encodeToString(k);
  }

  private static PostgresStore open(String url, String key) {
    return PostgresStore.open(PgStoreConfig.of(url, "postgres", null, key));
  }

  private static void write(PostgresStore store, AgentSnapshot s) {
    store.update(
        s.agent(),
        tx -> {
          tx.write(s);
          return null;
        });
  }
}
