package dev.tokensink.security;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One structured line per credential handed out, per refused call and per change, on the logger
 * {@value #CATEGORY} so operators can route it (docs/security.md). Fields are {@code key=value}
 * (values with spaces or quotes are quoted): {@code rpc caller agent provider profile result}, plus
 * an optional {@code reason}. Only ids and status codes are written, never a secret.
 */
public final class Audit {
  public static final String CATEGORY = "tokensink.audit";
  private static final Logger LOG = Logger.getLogger(CATEGORY);
  private static final int MAX_VALUE = 200;

  private final Map<String, String> fields = new LinkedHashMap<>();

  private Audit(String rpc) {
    fields.put("rpc", rpc);
  }

  /** Starts a line for {@code rpc} (an RPC name, or a change such as {@code Refresh}). */
  public static Audit of(String rpc) {
    return new Audit(rpc);
  }

  public Audit caller(String id) {
    return put("caller", id);
  }

  public Audit agent(Object agent) {
    return put("agent", agent);
  }

  public Audit provider(Object provider) {
    return put("provider", provider);
  }

  public Audit profile(Object profile) {
    return put("profile", profile);
  }

  public Audit reason(String reason) {
    return put("reason", reason);
  }

  /** Writes the line with its result ({@code OK} or a gRPC status code name). */
  public void result(String result) {
    put("result", result);
    LOG.info(format());
  }

  private Audit put(String key, Object value) {
    if (value != null && !value.toString().isEmpty()) {
      String v = value.toString();
      // request fields are logged before validation: keep a hostile one from flooding the line
      fields.put(key, v.length() > MAX_VALUE ? v.substring(0, MAX_VALUE) + "…" : v);
    }
    return this;
  }

  String format() {
    StringBuilder b = new StringBuilder();
    fields.forEach(
        (k, v) -> {
          if (b.length() > 0) {
            b.append(' ');
          }
          b.append(k).append('=');
          if (v.chars().anyMatch(c -> c == ' ' || c == '"' || c == '=' || c < 0x20)) {
            b.append('"')
                .append(
                    v.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\x00-\\x1f]", "?"))
                .append('"');
          } else {
            b.append(v);
          }
        });
    return b.toString();
  }
}
