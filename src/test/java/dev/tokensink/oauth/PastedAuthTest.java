package dev.tokensink.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.testing.Secrets;
import org.junit.jupiter.api.Test;

class PastedAuthTest {
  static final String STATE = "expected-state";

  @Test
  void fullRedirectUrl() throws Exception {
    AuthCode c =
        PastedAuth.parse(
            "  http://localhost:1455/auth/callback?code=ac_123&state=expected-state \n", STATE);
    assertEquals("ac_123", c.code().reveal());
    assertEquals(STATE, c.state());
  }

  @Test
  void codeHashState() throws Exception {
    assertEquals("ac_123", PastedAuth.parse("ac_123#expected-state", STATE).code().reveal());
  }

  @Test
  void queryString() throws Exception {
    assertEquals(
        "ac%1", PastedAuth.parse("?code=ac%251&state=expected-state", STATE).code().reveal());
    assertEquals("ac_9", PastedAuth.parse("code=ac_9", STATE).code().reveal());
  }

  @Test
  void bareCode() throws Exception {
    AuthCode c = PastedAuth.parse("ac_bare-code.0123", STATE);
    assertEquals("ac_bare-code.0123", c.code().reveal());
    assertNull(c.state());
  }

  @Test
  void stateMismatch_isBadInput() {
    LoginException e =
        assertThrows(
            LoginException.class,
            () ->
                PastedAuth.parse(
                    "http://localhost:1455/auth/callback?code=ac_secret_code&state=other", STATE));
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().contains("state mismatch"), e.getMessage());
    Secrets.assertNotIn(e, "ac_secret_code");
    assertEquals(
        2,
        assertThrows(LoginException.class, () -> PastedAuth.parse("ac_1#other", STATE)).exitCode());
  }

  @Test
  void missingCode_isBadInput() {
    LoginException e =
        assertThrows(
            LoginException.class,
            () ->
                PastedAuth.parse(
                    "http://localhost:1455/auth/callback?state=expected-state", STATE));
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().contains("no code"), e.getMessage());
  }

  @Test
  void providerError_isRefusal() {
    LoginException e =
        assertThrows(
            LoginException.class,
            () ->
                PastedAuth.parse(
                    "http://localhost:1455/auth/callback?error=access_denied&state=expected-state",
                    STATE));
    assertEquals(1, e.exitCode());
    assertTrue(e.getMessage().contains("access_denied"), e.getMessage());
  }

  @Test
  void garbage_isBadInput_withoutEchoingIt() {
    for (String s :
        new String[] {"", "   ", "hello world secret-ish", "<html>", "sk ant oat01 pasted token"}) {
      LoginException e = assertThrows(LoginException.class, () -> PastedAuth.parse(s, STATE), s);
      assertEquals(2, e.exitCode());
      if (!s.isBlank()) {
        Secrets.assertNotIn(e, s);
      }
    }
  }
}
