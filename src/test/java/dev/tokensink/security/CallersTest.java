package dev.tokensink.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.config.Settings.CallerSettings;
import dev.tokensink.model.AgentId;
import dev.tokensink.testing.Secrets;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

class CallersTest {
  private static final String TOKEN_A = "tsk_callers_test_a_7f1e2d3c";
  private static final String TOKEN_B = "tsk_callers_test_b_0a9b8c7d";

  static {
    Secrets.register(TOKEN_A, TOKEN_B);
  }

  private static CallerSettings token(String id, String token, String... agents) {
    return new CallerSettings(id, Callers.sha256Hex(token), null, List.of(agents));
  }

  @Test
  void tokenMapsToItsCaller_andItsAgentsOnly() {
    Callers c =
        Callers.of(List.of(token("a", TOKEN_A, "main"), token("b", TOKEN_B, "work", "ops")));
    Caller a = c.byToken(TOKEN_A).orElseThrow();
    assertEquals("a", a.id());
    assertTrue(a.mayUse(AgentId.of("main")));
    assertFalse(a.mayUse(AgentId.of("work")));
    assertEquals(
        Set.of(AgentId.of("work"), AgentId.of("ops")), c.byToken(TOKEN_B).orElseThrow().agents());
    assertTrue(c.byToken(TOKEN_A + " ").isEmpty());
    assertTrue(c.byToken("").isEmpty());
  }

  @Test
  void removedCaller_itsTokenNoLongerAuthenticates() {
    List<CallerSettings> before = List.of(token("a", TOKEN_A, "main"), token("b", TOKEN_B, "work"));
    assertTrue(Callers.of(before).byToken(TOKEN_B).isPresent());
    Callers after = Callers.of(List.of(token("a", TOKEN_A, "main")));
    assertTrue(after.byToken(TOKEN_B).isEmpty());
    assertTrue(after.byToken(TOKEN_A).isPresent());
  }

  @Test
  void callerListedTwice_sameToken_refusedNamingBoth() {
    CallerConfigException e =
        assertThrows(
            CallerConfigException.class,
            () ->
                Callers.of(
                    List.of(
                        token("worker", TOKEN_A, "main"), token("worker-copy", TOKEN_A, "work"))));
    assertTrue(
        e.getMessage().contains("worker and worker-copy have the same token-sha256"),
        e.getMessage());
    Secrets.assertNotIn(e, TOKEN_A);
  }

  @Test
  void callerListedTwice_sameIdInAnotherCase_refused() {
    CallerConfigException e =
        assertThrows(
            CallerConfigException.class,
            () ->
                Callers.of(
                    List.of(token("worker", TOKEN_A, "main"), token("Worker", TOKEN_B, "main"))));
    assertTrue(e.getMessage().contains("listed twice"), e.getMessage());
  }

  @Test
  void malformedEntries_refusedWithTheKeyToFix() {
    assertTrue(
        assertThrows(
                CallerConfigException.class,
                () -> Callers.of(List.of(new CallerSettings("a", TOKEN_A, null, List.of("main")))))
            .getMessage()
            .contains("tokensink.callers.a.token-sha256 must be 64 hex digits"));
    assertTrue(
        assertThrows(
                CallerConfigException.class,
                () ->
                    Callers.of(List.of(new CallerSettings("a", null, "not a dn", List.of("main")))))
            .getMessage()
            .contains("tokensink.callers.a.cert-subject is not a distinguished name"));
    assertTrue(
        assertThrows(
                CallerConfigException.class,
                () ->
                    Callers.of(
                        List.of(
                            new CallerSettings("a", Callers.sha256Hex(TOKEN_A), null, List.of()))))
            .getMessage()
            .contains("tokensink.callers.a.agents is empty"));
    assertTrue(
        assertThrows(
                CallerConfigException.class,
                () -> Callers.of(List.of(new CallerSettings("a", null, null, List.of("main")))))
            .getMessage()
            .contains("needs token-sha256 or cert-subject"));
    assertTrue(
        assertThrows(
                CallerConfigException.class,
                () -> Callers.of(List.of(token("a", TOKEN_A, "Main!"))))
            .getMessage()
            .contains("tokensink.callers.a.agents"));
  }

  @Test
  void certSubject_matchesCanonically_andStarMeansEveryAgent() {
    Callers c =
        Callers.of(
            List.of(new CallerSettings("edge", null, "CN=edge-worker, O=Example", List.of("*"))));
    Caller edge = c.bySubject(new X500Principal("cn=edge-worker,o=Example")).orElseThrow();
    assertTrue(edge.mayUse(AgentId.of("anything")));
    assertTrue(c.bySubject(new X500Principal("CN=other,O=Example")).isEmpty());
  }
}
