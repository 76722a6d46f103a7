package dev.tokensink.store;

import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ProviderId;
import dev.tokensink.model.Secret;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Provider keys from the environment and the state dir's {@code .env} (docs/rules.md §6), as the
 * pseudo-profile {@code <provider>:env}. The first non-empty variable of a provider wins; a
 * variable set in the real environment (even to an empty value) is never overridden by {@code
 * .env}. The environment map is injected, so tests control it.
 */
public final class EnvKeys {
  /** A variable and the profile type it yields. */
  private record Var(String name, boolean token) {}

  private static final Map<String, List<Var>> VARS =
      Map.of(
          "anthropic",
              List.of(new Var("ANTHROPIC_OAUTH_TOKEN", true), new Var("ANTHROPIC_API_KEY", false)),
          "openai", List.of(new Var("OPENAI_API_KEY", false)),
          "openrouter", List.of(new Var("OPENROUTER_API_KEY", false)),
          "google", List.of(new Var("GEMINI_API_KEY", false)),
          "groq", List.of(new Var("GROQ_API_KEY", false)),
          "mistral", List.of(new Var("MISTRAL_API_KEY", false)),
          "xai", List.of(new Var("XAI_API_KEY", false)));

  private final Map<String, String> merged;
  private final Map<String, String> real;
  private final List<String> dotEnvProblems;

  /**
   * The pseudo-profile per provider, built once: the variables do not change while the service
   * runs.
   */
  private final Map<ProviderId, Optional<Profile>> profiles =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Reads {@code stateDir/.env} once; {@code env} is the process environment (or a test's map). */
  public EnvKeys(Path stateDir, Map<String, String> env) {
    DotEnv.Parsed dotEnv = DotEnv.readParsed(stateDir.resolve(".env"));
    Map<String, String> m = new HashMap<>(dotEnv.vars());
    m.putAll(env); // the real environment beats .env
    this.merged = Map.copyOf(m);
    this.real = Map.copyOf(env);
    this.dotEnvProblems = dotEnv.problems();
  }

  /** Where {@code provider}'s env profile comes from: {@code env VAR} or {@code .env VAR}. */
  public Optional<String> source(ProviderId provider) {
    for (Var v : VARS.getOrDefault(provider.value(), List.of())) {
      String value = merged.get(v.name());
      if (value != null && !value.isBlank()) {
        return Optional.of((real.containsKey(v.name()) ? "env " : ".env ") + v.name());
      }
    }
    return Optional.empty();
  }

  /** The provider whose key variable {@code name} is (e.g. anthropic for ANTHROPIC_API_KEY). */
  public static Optional<ProviderId> providerOf(String name) {
    return VARS.entrySet().stream()
        .filter(e -> e.getValue().stream().anyMatch(v -> v.name().equals(name)))
        .map(e -> ProviderId.of(e.getKey()))
        .findFirst();
  }

  /** The providers that have env variables, in a stable order. */
  public static List<ProviderId> providers() {
    return VARS.keySet().stream().sorted().map(ProviderId::of).toList();
  }

  /**
   * What keeps an env key from being used: malformed {@code .env} lines, and variables whose value
   * has a line break or another control character inside (never the value itself).
   */
  public List<String> problems() {
    List<String> out = new java.util.ArrayList<>(dotEnvProblems);
    for (ProviderId p : providers()) {
      for (Var v : VARS.get(p.value())) {
        String value = merged.get(v.name());
        if (value != null && !value.isBlank() && badValue(value.strip())) {
          out.add(
              (real.containsKey(v.name()) ? "" : ".env ")
                  + v.name()
                  + " has a line break or another control character inside; it is not used");
        }
      }
    }
    return out;
  }

  private static boolean badValue(String v) {
    return v.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
  }

  /**
   * The variables this class looks at for {@code provider}, in order (empty for e.g. openai-codex).
   */
  public static List<String> variables(ProviderId provider) {
    return VARS.getOrDefault(provider.value(), List.of()).stream().map(Var::name).toList();
  }

  /** The env pseudo-profile of {@code provider}, if one of its variables is non-empty. */
  public Optional<Profile> profile(ProviderId provider) {
    return profiles.computeIfAbsent(provider, this::build);
  }

  private Optional<Profile> build(ProviderId provider) {
    for (Var v : VARS.getOrDefault(provider.value(), List.of())) {
      String value = merged.get(v.name());
      if (value != null && !value.isBlank()) {
        if (badValue(value.strip())) {
          return Optional.empty(); // it could never be sent in a header; problems() says why
        }
        Credential c =
            v.token()
                ? new Credential.Token(Secret.of(value.strip()), null, null)
                : new Credential.ApiKey(Secret.of(value.strip()), null, Map.of());
        return Optional.of(Profile.of(ProfileId.of(provider, "env"), c));
      }
    }
    return Optional.empty();
  }

  /** Environment plus .env, the environment winning; used to resolve {@code env} secret refs. */
  public Map<String, String> variables() {
    return merged;
  }
}
