package dev.tokensink.store;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokensink.model.Secret;
import dev.tokensink.model.SecretRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Resolves a {@link SecretRef} when a profile is served (docs/rules.md §1): {@code env} reads the
 * variable {@code id}; {@code file} reads the file named by {@code provider} (relative paths
 * against the state dir; no {@code ..}) and takes the JSON pointer {@code id}, or the whole file
 * (trimmed) when there is no id. {@code exec} and {@code store} are never resolved. Failures are a
 * reason, never a secret.
 */
public final class SecretRefs {
  static final int MAX_FILE_BYTES = 64 * 1024;

  /** Either a secret or the reason there is none. */
  public record Resolution(Secret secret, String unresolvedReason) {
    public boolean resolved() {
      return secret != null;
    }

    static Resolution of(String value) {
      return new Resolution(Secret.of(value), null);
    }

    static Resolution unresolved(String reason) {
      return new Resolution(null, reason);
    }
  }

  private SecretRefs() {}

  public static Resolution resolve(SecretRef ref, Map<String, String> env, Path stateDir) {
    return switch (ref.source()) {
      case "env" -> env(ref, env);
      case "file" -> file(ref, stateDir);
      case "exec", "store" ->
          Resolution.unresolved(
              "secret ref source '"
                  + ref.source()
                  + "' is not supported by tokensink; store the secret or use env/file");
      default ->
          Resolution.unresolved(
              "unknown secret ref source '" + JsonFields.echo(ref.source()) + "'");
    };
  }

  private static Resolution env(SecretRef ref, Map<String, String> env) {
    if (ref.id() == null || ref.id().isBlank()) {
      return Resolution.unresolved("env secret ref names no variable");
    }
    String v = env.get(ref.id());
    return v == null || v.isBlank()
        ? Resolution.unresolved("environment variable " + JsonFields.echo(ref.id()) + " is not set")
        : Resolution.of(v.strip());
  }

  private static Resolution file(SecretRef ref, Path stateDir) {
    String name = ref.provider();
    if (name == null || name.isBlank()) {
      return Resolution.unresolved("file secret ref names no file");
    }
    Path path = Path.of(name);
    for (Path part : path) {
      if (part.toString().equals("..")) {
        return Resolution.unresolved("file secret ref " + name + " contains '..'; refused");
      }
    }
    Path file = path.isAbsolute() ? path : stateDir.resolve(path);
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (NoSuchFileException e) {
      return Resolution.unresolved("secret file " + file + " does not exist");
    } catch (IOException e) {
      return Resolution.unresolved(
          "secret file " + file + " cannot be read: " + e.getClass().getSimpleName());
    }
    if (bytes.length > MAX_FILE_BYTES) {
      return Resolution.unresolved(
          "secret file " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
    }
    String id = ref.id();
    if (id == null || id.isEmpty()) {
      String whole = new String(bytes, StandardCharsets.UTF_8).strip();
      return whole.isEmpty()
          ? Resolution.unresolved("secret file " + file + " is empty")
          : Resolution.of(whole);
    }
    JsonNode root;
    try {
      root = StoreJson.MAPPER.readTree(bytes);
    } catch (IOException e) {
      return Resolution.unresolved("secret file " + file + " is not valid JSON");
    }
    JsonNode value;
    try {
      value = root == null ? null : root.at(JsonPointer.compile(id));
    } catch (IllegalArgumentException e) {
      return Resolution.unresolved(
          "secret ref id " + JsonFields.echo(id) + " is not a JSON pointer");
    }
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      return Resolution.unresolved(
          "JSON pointer " + JsonFields.echo(id) + " not found (or not a string) in " + file);
    }
    return Resolution.of(value.asText());
  }
}
