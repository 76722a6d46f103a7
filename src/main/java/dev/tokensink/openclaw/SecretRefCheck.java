package dev.tokensink.openclaw;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokensink.model.SecretRef;
import dev.tokensink.store.StoreJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a {@code keyRef}/{@code tokenRef} at import time without ever reading the secret into the
 * report. {@code env} and {@code file} refs are kept (resolved when served, docs/rules.md §1); a
 * missing variable or file is a warning, since tokensink may run with another environment. A file
 * ref names OpenClaw's {@code secrets.providers.<provider>.path} or, failing that, a path in {@code
 * provider}; it is rewritten to an absolute path (the import target is another dir), and a path
 * with a {@code ..} segment or a relative one leaving the OpenClaw dir is refused. {@code
 * exec}/{@code store} refs are kept but never run or read: reported as unresolved.
 */
final class SecretRefCheck {
  /** {@code rewritten} null when the ref stays as it is. */
  record Result(SecretRef rewritten, List<String> warnings, String unresolved) {}

  private final Path stateDir;
  private final Map<String, String> env;
  private final OpenClawConfig config;

  SecretRefCheck(Path stateDir, Map<String, String> env, OpenClawConfig config) {
    this.stateDir = stateDir.toAbsolutePath().normalize();
    this.env = env;
    this.config = config;
  }

  Result check(SecretRef ref, String what) {
    List<String> warnings = new ArrayList<>();
    switch (ref.source()) {
      case "env" -> {
        if (ref.id() == null || !env.containsKey(ref.id())) {
          warnings.add(
              what
                  + ": environment variable "
                  + ref.id()
                  + " is not set here; the profile is unusable until it is set where tokensink runs");
        }
        return new Result(null, warnings, null);
      }
      case "file" -> {
        return file(ref, what, warnings);
      }
      default -> {
        return new Result(
            null,
            warnings,
            what
                + ": secret ref source '"
                + ref.source()
                + "' is never run or read by tokensink; paste the secret, or use an env or file ref");
      }
    }
  }

  private Result file(SecretRef ref, String what, List<String> warnings) {
    String configured = config.secretsFilePath(ref.provider());
    String path = configured != null ? configured : ref.provider();
    if (path == null || path.isBlank()) {
      return new Result(null, warnings, what + ": file ref names no file");
    }
    if (path.startsWith("~/") && env.containsKey("HOME")) {
      path = env.get("HOME") + path.substring(1);
    }
    Path p = Path.of(path);
    for (Path part : p) {
      if (part.toString().equals("..")) {
        throw new ProfileMapper.SkipException(
            what + ": file ref '" + path + "' leaves its allowed directory ('..' is not allowed)");
      }
    }
    Path abs = p.isAbsolute() ? p.normalize() : stateDir.resolve(p).normalize();
    if (!p.isAbsolute() && !abs.startsWith(stateDir)) {
      throw new ProfileMapper.SkipException(
          what + ": file ref '" + path + "' leaves the OpenClaw dir");
    }
    if (!Files.isRegularFile(abs)) {
      warnings.add(
          what + ": file " + abs + " does not exist; the profile is unusable until it does");
    } else if (ref.id() != null && ref.id().startsWith("/")) {
      try {
        JsonNode root = StoreJson.MAPPER.readTree(Files.readAllBytes(abs));
        if (root == null || root.at(JsonPointer.compile(ref.id())).isMissingNode()) {
          warnings.add(what + ": " + abs + " has nothing at " + ref.id());
        }
      } catch (Exception e) { // the content may be a secret: only the kind of failure is reported
        warnings.add(what + ": " + abs + " is not JSON (" + e.getClass().getSimpleName() + ")");
      }
    }
    return new Result(new SecretRef("file", abs.toString(), ref.id()), warnings, null);
  }
}
