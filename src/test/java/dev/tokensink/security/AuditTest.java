package dev.tokensink.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AuditTest {
  @Test
  void fields_inOrder_quotedWhenNeeded_controlCharactersAndLengthDefused() {
    Audit a =
        Audit.of("GetCredential")
            .caller("w")
            .agent("ma\nin")
            .provider("x".repeat(300))
            .reason("say \"hi\"");
    assertEquals(
        "rpc=GetCredential caller=w agent=\"ma?in\" provider="
            + "x".repeat(200)
            + "… reason=\"say \\\"hi\\\"\"",
        a.format());
  }
}
