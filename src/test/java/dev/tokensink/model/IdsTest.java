package dev.tokensink.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The character-loop check of agent and provider ids accepts exactly what their grammar's regex
 * does.
 */
class IdsTest {
  private static final String ALPHABET = "az09AZ_-.@+:/ éA";

  private static boolean accepted(Runnable r) {
    try {
      r.run();
      return true;
    } catch (InvalidIdException e) {
      return false;
    }
  }

  @Test
  void agentAndProviderIds_acceptExactlyTheirGrammar() {
    Random random = new Random(42);
    for (int i = 0; i < 5_000; i++) {
      int len = 1 + random.nextInt(i % 10 == 0 ? 70 : 8);
      StringBuilder b = new StringBuilder();
      for (int j = 0; j < len; j++) {
        b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      String v = b.toString();
      assertEquals(Ids.AGENT.matcher(v).matches(), accepted(() -> AgentId.of(v)), v);
      assertEquals(Ids.PROVIDER.matcher(v).matches(), accepted(() -> ProviderId.of(v)), v);
    }
    String max = "a".repeat(64);
    assertEquals(true, accepted(() -> AgentId.of(max)));
    assertEquals(false, accepted(() -> AgentId.of(max + "a")));
    assertEquals(false, accepted(() -> ProviderId.of("")));
  }
}
