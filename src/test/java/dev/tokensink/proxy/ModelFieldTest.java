package dev.tokensink.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The body's top-level model: found without a tree, replaced without touching other bytes. */
class ModelFieldTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void topLevelModel_replacedInPlace() {
    String body =
        "{\"messages\":[{\"model\":\"inner\"}], \"model\" : \"opus@anthropic:work\",\"t\":1.50}";
    ModelField f = ModelField.find(b(body));
    assertEquals("opus@anthropic:work", f.value());
    assertEquals(
        "{\"messages\":[{\"model\":\"inner\"}], \"model\" : \"opus\",\"t\":1.50}",
        new String(f.replace(b(body), "opus"), StandardCharsets.UTF_8));
  }

  @Test
  void escapedAndUnicodeValues() {
    String body = "{\"x\":\"é\",\"model\":\"a\\\"b@p:q\"}";
    ModelField f = ModelField.find(b(body));
    assertEquals("a\"b@p:q", f.value());
    assertEquals(
        "{\"x\":\"é\",\"model\":\"a\\\"b\"}",
        new String(f.replace(b(body), "a\"b"), StandardCharsets.UTF_8));
  }

  @Test
  void noModel_orNotJson() {
    assertFalse(ModelField.find(b("{\"model\":3}")).present());
    assertFalse(ModelField.find(b("[1,2]")).present());
    assertFalse(ModelField.find(b("model=x")).present());
    assertFalse(ModelField.find(b("")).present());
  }
}
