package dev.tokensink.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.Secret;
import org.junit.jupiter.api.Test;

class HandedOutTest {
  private static final AgentId MAIN = AgentId.of("main");
  private static final ProfileId WORK = ProfileId.parse("anthropic:work");
  private static final ProfileId HOME = ProfileId.parse("anthropic:home");

  @Test
  void eachCredentialOncePerCaller_rotationAndOtherCallersLoggedAgain() {
    HandedOut h = new HandedOut(false);
    Secret first = Secret.of("sk-ant-api03-handed-out-first-0000");
    assertTrue(h.firstTime("a", MAIN, WORK, first));
    assertFalse(h.firstTime("a", MAIN, WORK, first));
    assertFalse(
        h.firstTime("a", MAIN, WORK, Secret.of("sk-ant-api03-handed-out-first-0000")),
        "same value, new instance");
    assertTrue(h.firstTime("b", MAIN, WORK, first), "another caller");
    assertTrue(h.firstTime("a", MAIN, HOME, first), "another profile");
    assertTrue(
        h.firstTime("a", MAIN, WORK, Secret.of("sk-ant-api03-handed-out-rotated-00")),
        "a rotated secret");
  }

  @Test
  void everyAnswer_logsEachTime() {
    HandedOut h = new HandedOut(true);
    Secret s = Secret.of("sk-ant-api03-handed-out-every-0000");
    assertTrue(h.firstTime("a", MAIN, WORK, s));
    assertTrue(h.firstTime("a", MAIN, WORK, s));
  }

  @Test
  void bounded_forgetsPastTheLimit_thenLogsARepeat() {
    HandedOut h = new HandedOut(false);
    Secret s = Secret.of("sk-ant-api03-handed-out-bounded-00");
    assertTrue(h.firstTime("caller-0", MAIN, WORK, s));
    for (int i = 1; i <= HandedOut.MAX_ENTRIES; i++) {
      h.firstTime("caller-" + i, MAIN, WORK, s);
    }
    assertTrue(h.firstTime("caller-0", MAIN, WORK, s), "forgotten after the bound, logged again");
  }
}
