package dev.tokensink.security;

import dev.tokensink.config.Settings;
import dev.tokensink.config.Settings.CallerSettings;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.InvalidIdException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;

/**
 * The configured callers ({@code tokensink.callers.<id>}): who may call, by the SHA-256 of a bearer
 * token or by a client-certificate subject, and which agents each may use. Validated once at
 * start-up: a malformed hash or subject, a caller without agents, or two callers sharing a token or
 * a subject is refused with a message naming the keys. Only token hashes are held, never a token.
 */
public final class Callers {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

  private record Entry(Caller caller, byte[] tokenHash, X500Principal subject) {}

  private final List<Entry> entries;

  private Callers(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  public static Callers none() {
    return new Callers(List.of());
  }

  /** The callers configured under {@code tokensink.callers}, validated as {@link #of}. */
  public static Callers configured(Map<String, Settings.Caller> configured) {
    List<CallerSettings> all = new ArrayList<>();
    configured.forEach((id, c) -> all.add(CallerSettings.of(id, c)));
    return of(all);
  }

  /**
   * Validates and indexes the configured callers; throws {@link CallerConfigException} on any
   * problem.
   */
  public static Callers of(Collection<CallerSettings> configured) {
    List<Entry> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<CallerSettings> sorted =
        configured.stream()
            .sorted(Comparator.comparing(CallerSettings::id))
            .toList(); // stable messages
    for (CallerSettings c : sorted) {
      String key = "tokensink.callers." + c.id();
      if (!ID.matcher(c.id()).matches()) {
        problems.add(key + ": a caller id is letters, digits, '.', '_' or '-' (at most 64)");
        continue;
      }
      byte[] hash = null;
      if (c.tokenSha256() != null) {
        if (!HEX64.matcher(c.tokenSha256().trim()).matches()) {
          problems.add(
              key
                  + ".token-sha256 must be 64 hex digits (sha256sum of the token), not a token itself");
          continue;
        }
        hash = HexFormat.of().parseHex(c.tokenSha256().trim().toLowerCase());
      }
      X500Principal subject = null;
      if (c.certSubject() != null) {
        try {
          subject = new X500Principal(c.certSubject());
        } catch (IllegalArgumentException e) {
          problems.add(
              key
                  + ".cert-subject is not a distinguished name such as CN=chat-worker,O=example: "
                  + e.getMessage());
          continue;
        }
      }
      if (hash == null && subject == null) {
        problems.add(key + " needs token-sha256 or cert-subject");
        continue;
      }
      Set<AgentId> agents = new LinkedHashSet<>();
      boolean all = false;
      for (String a : c.agents()) {
        if (a.equals("*")) {
          all = true;
          continue;
        }
        try {
          agents.add(AgentId.of(a));
        } catch (InvalidIdException e) {
          problems.add(key + ".agents: " + e.getMessage());
        }
      }
      if (!all && agents.isEmpty()) {
        problems.add(key + ".agents is empty: list the agents it may use (or '*' for every agent)");
        continue;
      }
      out.add(new Entry(new Caller(c.id(), all ? null : agents), hash, subject));
    }
    for (int i = 0; i < out.size(); i++) {
      for (int j = i + 1; j < out.size(); j++) {
        Entry a = out.get(i);
        Entry b = out.get(j);
        if (a.caller().id().equalsIgnoreCase(b.caller().id())) {
          problems.add(
              "caller " + a.caller().id() + " is listed twice (also as " + b.caller().id() + ")");
        }
        if (a.tokenHash() != null
            && b.tokenHash() != null
            && MessageDigest.isEqual(a.tokenHash(), b.tokenHash())) {
          problems.add(
              "callers "
                  + a.caller().id()
                  + " and "
                  + b.caller().id()
                  + " have the same token-sha256;"
                  + " give each caller its own token");
        }
        if (a.subject() != null && a.subject().equals(b.subject())) {
          problems.add(
              "callers "
                  + a.caller().id()
                  + " and "
                  + b.caller().id()
                  + " have the same cert-subject");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new CallerConfigException("tokensink.callers: " + String.join("; ", problems));
    }
    return new Callers(out);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public int size() {
    return entries.size();
  }

  /**
   * The caller whose token this is. Compares the token's SHA-256 with every configured hash in
   * constant time and without stopping at a match, so timing tells neither the hash nor which
   * caller matched.
   */
  public Optional<Caller> byToken(String token) {
    byte[] hash = sha256(token);
    Caller found = null;
    for (Entry e : entries) {
      if (e.tokenHash() != null && MessageDigest.isEqual(e.tokenHash(), hash)) {
        found = e.caller();
      }
    }
    return Optional.ofNullable(found);
  }

  /** The caller whose client-certificate subject this is (canonical X.500 comparison). */
  public Optional<Caller> bySubject(X500Principal subject) {
    for (Entry e : entries) {
      if (e.subject() != null && e.subject().equals(subject)) {
        return Optional.of(e.caller());
      }
    }
    return Optional.empty();
  }

  /** Lowercase hex SHA-256 of a token, as configured in {@code token-sha256}. */
  public static String sha256Hex(String token) {
    return HexFormat.of().formatHex(sha256(token));
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
