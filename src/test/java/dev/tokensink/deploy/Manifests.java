package dev.tokensink.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads deployment files of the repository (tests run in the project directory) into the typed
 * fabric8 model classes, failing on any field the model does not know, so a typo such as {@code
 * readinesProbe} is an error rather than a silently missing probe. (The models keep unknown fields
 * in {@code additionalProperties} instead of rejecting them, so {@link #read} walks the parsed
 * object and fails on any it finds.)
 */
final class Manifests {
  static final Path ROOT = Path.of("").toAbsolutePath();
  static final Path K8S = ROOT.resolve("deploy/k8s");

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Manifests() {}

  static <T> T read(Path file, Class<T> type) {
    T value;
    try {
      value = YAML.readValue(file.toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + ROOT.relativize(file) + " as " + type.getSimpleName(), e);
    }
    List<String> unknown = new ArrayList<>();
    unknownFields(value, type.getSimpleName(), unknown, new IdentityHashMap<>());
    if (!unknown.isEmpty()) {
      throw new AssertionError(
          ROOT.relativize(file) + ": fields unknown to the Kubernetes model: " + unknown);
    }
    return value;
  }

  private static void unknownFields(
      Object o, String path, List<String> out, Map<Object, Boolean> seen) {
    if (o == null || seen.put(o, Boolean.TRUE) != null) {
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) {
        unknownFields(e, path + "[" + i++ + "]", out, seen);
      }
      return;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> unknownFields(v, path + "." + k, out, seen));
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method g : o.getClass().getMethods()) {
      if (g.getParameterCount() != 0
          || !g.getName().startsWith("get")
          || g.getDeclaringClass() == Object.class) {
        continue;
      }
      try {
        Object v = g.invoke(o);
        if (g.getName().equals("getAdditionalProperties")) {
          if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
            extra.keySet().forEach(k -> out.add(path + "." + k));
          }
        } else {
          unknownFields(v, path + "." + g.getName().substring(3), out, seen);
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static JsonNode tree(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + ROOT.relativize(file), e);
    }
  }

  static JsonNode tree(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The container's environment as the kubelet would set it: plain values, and values from keys of
   * {@code secret} (the only Secret the manifests use); a reference to another Secret or a missing
   * key fails.
   */
  static Map<String, String> env(Container c, Secret secret) {
    Map<String, String> out = new LinkedHashMap<>();
    for (EnvVar v : c.getEnv()) {
      if (v.getValueFrom() == null) {
        out.put(v.getName(), v.getValue());
        continue;
      }
      var ref = v.getValueFrom().getSecretKeyRef();
      if (ref == null || !ref.getName().equals(secret.getMetadata().getName())) {
        throw new AssertionError(
            v.getName()
                + " refers to something other than Secret "
                + secret.getMetadata().getName());
      }
      String value =
          secret.getStringData() == null ? null : secret.getStringData().get(ref.getKey());
      if (value == null && Boolean.TRUE.equals(ref.getOptional())) {
        continue; // Kubernetes leaves an optional key that the Secret lacks unset
      }
      if (value == null) {
        throw new AssertionError(
            v.getName()
                + " refers to key "
                + ref.getKey()
                + ", which Secret "
                + secret.getMetadata().getName()
                + " does not have");
      }
      out.put(v.getName(), value);
    }
    return out;
  }
}
