package dev.tokensink.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.model.Secret;
import dev.tokensink.testing.TestJwt;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class JwtTest {
  static final String OPENAI_POINTER = "/https:~1~1api.openai.com~1auth/chatgpt_account_id";

  @Test
  void readsTimesPointerAndName() {
    ObjectNode c = TestJwt.claims();
    c.put("iat", 1_700_000_000L).put("exp", 1_700_003_600L).put("sub", "user-9");
    c.putObject("https://api.openai.com/auth").put("chatgpt_account_id", "acct-9");
    Jwt jwt = Jwt.parse(Secret.of(TestJwt.sign(c)));
    assertTrue(jwt.isJwt());
    assertEquals(OptionalLong.of(1_700_003_600_000L), jwt.expiresAtMillis());
    assertEquals(OptionalLong.of(1_700_000_000_000L), jwt.issuedAtMillis());
    assertEquals(Optional.of("acct-9"), jwt.string(OPENAI_POINTER));
    assertEquals(Optional.of("user-9"), jwt.string("sub"));
    assertEquals(Optional.empty(), jwt.string("https://api.openai.com/auth"));
  }

  @Test
  void opaqueOrMalformedTokens_haveNoClaims() {
    for (String t : new String[] {"sk-opaque-token", "a.b.c", "a.%%%.c", "x.bnVsbA.y", ""}) {
      Jwt jwt = Jwt.parse(Secret.of(t));
      assertFalse(jwt.isJwt(), t);
      assertTrue(jwt.expiresAtMillis().isEmpty());
      assertTrue(jwt.email().isEmpty());
    }
    assertFalse(Jwt.parse(null).isJwt());
  }

  @Test
  void accountId_fallsBackToIdToken() {
    ObjectNode id = TestJwt.claims().put("sub", "user-3").put("email", "u@example.com");
    Secret idToken = Secret.of(TestJwt.sign(id));
    assertEquals(Optional.of("user-3"), Jwt.accountId("sub", Secret.of("opaque-access"), idToken));
    assertEquals(
        Optional.empty(), Jwt.accountId(OPENAI_POINTER, Secret.of("opaque-access"), idToken));
    assertEquals(Optional.of("u@example.com"), Jwt.parse(idToken).email());
  }
}
