package dev.tokensink.config;

import java.util.Map;

/**
 * The process environment as a value, so that tests control it (fixtures must not see the
 * developer's real {@code OPENAI_API_KEY}) and nothing reads {@code System.getenv()} deep inside
 * the domain.
 */
public record Env(Map<String, String> vars) {
  public Env {
    vars = Map.copyOf(vars);
  }

  public static Env system() {
    return new Env(System.getenv());
  }

  public String get(String name) {
    return vars.get(name);
  }

  @Override
  public String toString() {
    return "Env[" + vars.size() + " variables]";
  }
}
