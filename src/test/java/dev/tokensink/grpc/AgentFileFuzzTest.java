package dev.tokensink.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.broker.Broker;
import dev.tokensink.broker.CredentialRequest;
import dev.tokensink.broker.ProbeClaims;
import dev.tokensink.broker.RefResolver;
import dev.tokensink.broker.Refresher;
import dev.tokensink.broker.Served;
import dev.tokensink.broker.UsageRecorder;
import dev.tokensink.cache.AgentCache;
import dev.tokensink.config.Settings;
import dev.tokensink.config.SettingsLoader;
import dev.tokensink.cooldown.CooldownSettings;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Profile;
import dev.tokensink.oauth.Providers;
import dev.tokensink.oauth.TokenClient;
import dev.tokensink.refresh.RefreshCoordinator;
import dev.tokensink.refresh.RefreshSettings;
import dev.tokensink.routing.ConfiguredOrder;
import dev.tokensink.routing.Router;
import dev.tokensink.routing.SessionPins;
import dev.tokensink.store.FileStore;
import dev.tokensink.store.FileStoreSettings;
import dev.tokensink.store.StoreException;
import dev.tokensink.store.StoreJson;
import dev.tokensink.testing.MutableClock;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded corruptions of one agent's files ({@value #SEED}): for each, the service's start-up path
 * (the store, {@link AgentCache#preload()} and the {@link Broker}, wired as {@code serve} wires
 * them) comes up; the undamaged agents are served; the damaged agent either reads (and every entry
 * of its file is a profile or a kept invalid entry: nothing dropped) or answers FAILED_PRECONDITION
 * naming the agent and its file relative to the state dir, never the server path; a write to it is
 * refused; its files stay byte-identical; nothing is printed to the console. {@code
 * DamagedAgentsIT} runs a representative subset against the packaged {@code serve}.
 */
class AgentFileFuzzTest {
  static final long SEED = 20261203L;
  static final String ALPHA_KEY = "sk-or-v1-FUZZ-alpha-0123456789abcdef0123";
  static final String BETA_TOKEN = "sk-ant-oat01-FUZZ-beta-0123456789abcdef0123";

  static final ExecutorService WORKERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "fuzz-worker");
            t.setDaemon(true);
            return t;
          });

  @TempDir Path state;

  @AfterAll
  static void stop() {
    WORKERS.shutdownNow();
  }

  /** One way to damage the victim agent's dir ({@code agents/victim/agent}). */
  @FunctionalInterface
  interface Damage {
    void apply(Path agentDir) throws IOException;
  }

  record Case(String name, Damage damage) {
    @Override
    public String toString() {
      return name;
    }
  }

  @Test
  void atLeast200Cases() {
    assertTrue(cases().count() >= 200, "cases: " + cases().count());
  }

  static Stream<Arguments> corruptions() {
    return cases().map(c -> Arguments.of(c));
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("corruptions")
  void damagedAgent_contained(Case c) throws Exception {
    Path victimDir = agentDir("victim");
    writeAgents();
    c.damage().apply(victimDir);
    Map<String, String> before = tree(state.resolve("agents").resolve("victim"));

    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream out = System.out;
    PrintStream err = System.err;
    PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    MutableClock clock = MutableClock.at("2026-11-23T18:00:00Z");
    FileStore store =
        new FileStore(FileStoreSettings.of(state).withPollInterval(Duration.ofHours(1)), clock);
    try {
      Settings settings = SettingsLoader.load(state.toString(), Map.of());
      AgentCache cache = new AgentCache(store, settings.defaultAgent());
      cache.preload(); // what serve does at start-up: must not throw, whatever the file holds
      assertTrue(store.healthy(), "ready");
      Broker broker = broker(store, cache, settings, clock);

      assertEquals(ALPHA_KEY, serve(broker, "alpha", "openrouter").secret().reveal());
      assertEquals(BETA_TOKEN, serve(broker, "beta", "anthropic").secret().reveal());

      AgentCache.Entry victim = cache.peek(AgentId.of("victim"));
      if (victim != null && victim.error() != null) {
        unreadable(broker, store, victim.error());
      } else {
        readable(broker, victimDir);
      }
    } finally {
      store.close();
      System.setOut(out);
      System.setErr(err);
    }
    String printed = console.toString(StandardCharsets.UTF_8);
    assertFalse(printed.contains("\tat ") || printed.contains("Exception"), printed);
    assertEquals(
        before, tree(state.resolve("agents").resolve("victim")), "damaged files byte-identical");
  }

  private void unreadable(Broker broker, FileStore store, StoreException error) {
    Throwable t = failure(broker.getCredential(request("victim", "anthropic")));
    Status status = GrpcErrors.toStatus(t).getStatus();
    assertEquals(Status.Code.FAILED_PRECONDITION, status.getCode(), String.valueOf(t));
    String d = status.getDescription();
    assertTrue(d.startsWith("agent victim cannot be served: "), d);
    assertTrue(d.contains("agents/victim"), "names the file: " + d);
    assertFalse(d.contains(state.toString()), "no server path: " + d);
    assertTrue(error.getMessage().contains(state.resolve("agents").toString()), error.getMessage());
    assertFalse(error.getMessage().contains(ALPHA_KEY), error.getMessage());
    try {
      store.update(
          AgentId.of("victim"),
          tx -> {
            tx.write(tx.current().withOrder("anthropic", List.of()));
            return null;
          });
      fail("a write to a damaged agent must be refused");
    } catch (StoreException refused) {
      // nothing written: checked by the caller
    }
  }

  /** Readable after all: every entry of the profiles object is a profile or kept as invalid. */
  private void readable(Broker broker, Path victimDir) throws IOException {
    Path file = victimDir.resolve("auth-profiles.json");
    JsonNode root = StoreJson.parse(Files.readAllBytes(file), "victim");
    JsonNode entries = root.get("profiles");
    AgentSnapshot s =
        new FileStore(FileStoreSettings.of(state), MutableClock.at("2026-11-23T18:00:00Z"))
            .read(AgentId.of("victim"))
            .orElseThrow();
    int entryCount = entries != null && entries.isObject() ? entries.size() : 0;
    assertEquals(
        entryCount,
        s.profiles().size() + StoreJson.invalidProfiles(s).size(),
        "nothing silently dropped: " + s + " invalid " + StoreJson.invalidProfiles(s));
    Uni<Served> answer = broker.getCredential(request("victim", "anthropic"));
    try {
      answer.await().atMost(Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      Status.Code code = GrpcErrors.toStatus(e).getStatus().getCode();
      assertNotEquals(Status.Code.INTERNAL, code, String.valueOf(e));
      assertNotEquals(Status.Code.UNKNOWN, code, String.valueOf(e));
    }
  }

  private static Served serve(Broker broker, String agent, String provider) {
    return broker.getCredential(request(agent, provider)).await().atMost(Duration.ofSeconds(10));
  }

  private static Throwable failure(Uni<Served> uni) {
    try {
      uni.await().atMost(Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      return e;
    }
    return fail("expected a failure");
  }

  private static CredentialRequest request(String agent, String provider) {
    return new CredentialRequest(agent, provider, "", "", "");
  }

  private static Broker broker(
      FileStore store, AgentCache cache, Settings settings, MutableClock clock) {
    RefResolver refs = new RefResolver(Map.of(), settings.stateDir());
    Providers providers = Providers.configured(settings.providers());
    RefreshCoordinator coordinator =
        new RefreshCoordinator(
            store,
            new TokenClient(),
            providers,
            WORKERS,
            clock,
            RefreshSettings.DEFAULTS,
            cache::put,
            e -> {});
    Refresher refresher =
        new Refresher() {
          @Override
          public Uni<Profile> ensureFresh(AgentId agent, Profile cached) {
            return coordinator.ensureFresh(agent, cached);
          }

          @Override
          public boolean servableNow(AgentId agent, Profile cached) {
            return coordinator.servableNow(agent, cached);
          }
        };
    return new Broker(
        cache,
        settings,
        clock,
        p -> Optional.empty(),
        refs,
        new Router(Broker.checks(refs), p -> providers.find(p.value()).isPresent()),
        new SessionPins(clock, 1000, Duration.ofHours(1)),
        refresher,
        new UsageRecorder(store, cache),
        new ProbeClaims(store, cache, clock, CooldownSettings.DEFAULTS),
        new ConfiguredOrder(Map.of()),
        WORKERS);
  }

  // ---- the state dir ----

  private Path agentDir(String agent) {
    return state.resolve("agents").resolve(agent).resolve("agent");
  }

  private void writeAgents() throws IOException {
    write(
        agentDir("alpha").resolve("auth-profiles.json"),
        "{\"version\":1,\"profiles\":{\"openrouter:default\":{\"type\":\"api_key\","
            + "\"provider\":\"openrouter\",\"key\":\""
            + ALPHA_KEY
            + "\"}}}");
    write(
        agentDir("beta").resolve("auth-profiles.json"),
        "{\"version\":1,\"profiles\":{\"anthropic:manual\":{\"type\":\"token\","
            + "\"provider\":\"anthropic\",\"token\":\""
            + BETA_TOKEN
            + "\"}}}");
    Files.createDirectories(agentDir("victim"));
    Files.write(agentDir("victim").resolve("auth-profiles.json"), victimProfiles());
    Files.write(agentDir("victim").resolve("auth-state.json"), victimState());
  }

  private static void write(Path file, String json) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, StoreJson.bytes(StoreJson.parse(json.getBytes(StandardCharsets.UTF_8), "x")));
  }

  /** The victim's valid file, in the layout tokensink writes (pretty, 2 spaces). */
  static byte[] victimProfiles() {
    return StoreJson.bytes(
        StoreJson.parse(
            ("{\"version\":1,\"profiles\":{"
                    + "\"anthropic:work\":{\"type\":\"token\",\"provider\":\"anthropic\","
                    + "\"token\":\"sk-ant-oat01-FUZZ-victim-work-0123456789\",\"expires\":4102444800000},"
                    + "\"anthropic:default\":{\"type\":\"api_key\",\"provider\":\"anthropic\","
                    + "\"key\":\"sk-ant-api03-FUZZ-victim-default-0123456789\",\"metadata\":{\"a\":\"b\"}},"
                    + "\"openai-codex:me@example.com\":{\"type\":\"oauth\",\"provider\":\"openai-codex\","
                    + "\"access\":\"FUZZ-access\",\"refresh\":\"FUZZ-refresh\",\"expires\":4102444800000,"
                    + "\"accountId\":\"acct-1\",\"email\":\"me@example.com\"}},"
                    + "\"order\":{\"anthropic\":[\"anthropic:work\",\"anthropic:default\"]},"
                    + "\"newerField\":{\"flag\":true,\"n\":null,\"list\":[1,2.5,-3]}}")
                .getBytes(StandardCharsets.UTF_8),
            "victim"));
  }

  static byte[] victimState() {
    return StoreJson.bytes(
        StoreJson.parse(
            ("{\"version\":1,\"lastGood\":{\"anthropic\":\"anthropic:work\"},"
                    + "\"usageStats\":{\"anthropic:default\":{\"lastUsed\":1763900000000,"
                    + "\"errorCount\":2,\"failureCounts\":{\"rate_limit\":2},"
                    + "\"cooldownUntil\":1763900030000,\"cooldownReason\":\"rate_limit\"}}}")
                .getBytes(StandardCharsets.UTF_8),
            "victim-state"));
  }

  /** Every file under {@code dir}: content digest, {@code dir}, or a link's target; no follow. */
  static Map<String, String> tree(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.toList()) {
        String rel = dir.relativize(p).toString();
        if (rel.endsWith(".lock")) {
          continue; // the agent lock's file, created by the refused write's lock; never data
        }
        if (Files.isSymbolicLink(p)) {
          out.put(rel, "link " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p)) {
          out.put(rel, "dir");
        } else {
          out.put(
              rel,
              HexFormat.of()
                  .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
      }
    }
    return out;
  }

  // ---- the corruptions ----

  static Stream<Case> cases() {
    Random rnd = new Random(SEED);
    List<Case> all = new ArrayList<>();
    byte[] profiles = victimProfiles();
    byte[] stateBytes = victimState();
    truncations(all, rnd, "auth-profiles.json", profiles, 8);
    truncations(all, rnd, "auth-state.json", stateBytes, 3);
    bitFlips(all, rnd, "auth-profiles.json", profiles, 50);
    bitFlips(all, rnd, "auth-state.json", stateBytes, 10);
    wrongTypes(all);
    hugeNumbers(all);
    deepNesting(all);
    nulBytes(all, rnd, profiles);
    invalidUtf8(all, rnd, profiles);
    links(all);
    misc(all);
    return all.stream();
  }

  /**
   * Cuts the file right after a byte of each token boundary class (structural characters, quotes,
   * inside strings, numbers, literals, whitespace), {@code perClass} positions each.
   */
  static void truncations(List<Case> all, Random rnd, String file, byte[] b, int perClass) {
    Map<String, List<Integer>> byClass = new TreeMap<>();
    boolean inString = false;
    for (int i = 0; i < b.length; i++) {
      char ch = (char) b[i];
      String cls;
      if (ch == '"') {
        cls = inString ? "string-close" : "string-open";
        inString = !inString;
      } else if (inString) {
        cls = "in-string";
      } else if ("{}[]:,".indexOf(ch) >= 0) {
        cls = "after-" + ch;
      } else if (Character.isDigit(ch) || ch == '-' || ch == '.') {
        cls = "in-number";
      } else if (Character.isLetter(ch)) {
        cls = "in-literal";
      } else {
        cls = "whitespace";
      }
      byClass.computeIfAbsent(cls, k -> new ArrayList<>()).add(i + 1);
    }
    all.add(new Case("truncated " + file + " to 0 bytes", d -> cut(d.resolve(file), b, 0)));
    byClass.forEach(
        (cls, positions) -> {
          List<Integer> pick = new ArrayList<>(positions);
          java.util.Collections.shuffle(pick, rnd);
          for (int at : pick.subList(0, Math.min(perClass, pick.size()))) {
            if (at < b.length) {
              all.add(
                  new Case(
                      "truncated " + file + " at " + at + " (" + cls + ")",
                      d -> cut(d.resolve(file), b, at)));
            }
          }
        });
  }

  static void cut(Path file, byte[] b, int at) throws IOException {
    Files.write(file, java.util.Arrays.copyOf(b, at));
  }

  static void bitFlips(List<Case> all, Random rnd, String file, byte[] b, int n) {
    for (int i = 0; i < n; i++) {
      int pos = rnd.nextInt(b.length);
      int bit = rnd.nextInt(8);
      all.add(
          new Case(
              "bit " + bit + " of byte " + pos + " of " + file + " flipped",
              d -> {
                byte[] copy = b.clone();
                copy[pos] ^= (byte) (1 << bit);
                Files.write(d.resolve(file), copy);
              }));
    }
  }

  /** Replaces the value at a JSON pointer of the victim's profiles (or state) file. */
  static Case replace(String file, String pointer, String json) {
    return new Case(
        file + " " + pointer + " = " + (json.length() > 40 ? json.substring(0, 40) + "…" : json),
        d -> {
          byte[] base = file.equals("auth-state.json") ? victimState() : victimProfiles();
          ObjectNode root = (ObjectNode) StoreJson.parse(base, file);
          JsonNode value = StoreJson.MAPPER.readTree(json);
          int slash = pointer.lastIndexOf('/');
          JsonNode parent = root.at(pointer.substring(0, slash));
          ((ObjectNode) parent).set(pointer.substring(slash + 1), value);
          Files.write(d.resolve(file), StoreJson.bytes(root));
        });
  }

  static void wrongTypes(List<Case> all) {
    String p = "auth-profiles.json";
    String s = "auth-state.json";
    for (String v : List.of("[]", "1", "\"profiles\"", "null", "true")) {
      all.add(replace(p, "/profiles", v));
    }
    for (String v : List.of("5", "[]", "\"x\"", "null")) {
      all.add(replace(p, "/profiles/anthropic:work", v));
    }
    all.add(replace(p, "/profiles/anthropic:default/key", "123"));
    all.add(replace(p, "/profiles/anthropic:default/key", "{\"a\":1}"));
    all.add(replace(p, "/profiles/anthropic:default/type", "7"));
    all.add(replace(p, "/profiles/anthropic:default/metadata", "[1]"));
    all.add(replace(p, "/profiles/anthropic:work/expires", "\"soon\""));
    all.add(replace(p, "/profiles/anthropic:work/provider", "[\"anthropic\"]"));
    all.add(replace(p, "/profiles/openai-codex:me@example.com/access", "false"));
    all.add(replace(p, "/profiles/openai-codex:me@example.com/refresh", "[]"));
    all.add(replace(p, "/profiles/openai-codex:me@example.com/accountId", "42"));
    all.add(replace(p, "/profiles/openai-codex:me@example.com/type", "\"passkey\""));
    all.add(replace(p, "/profiles/not a valid id!", "{\"type\":\"api_key\",\"key\":\"k\"}"));
    all.add(replace(p, "/order", "\"anthropic\""));
    all.add(replace(p, "/order/anthropic", "5"));
    all.add(replace(p, "/order/anthropic", "[1, null, {}]"));
    all.add(replace(p, "/version", "\"2\""));
    all.add(replace(s, "/usageStats", "[]"));
    all.add(replace(s, "/usageStats/anthropic:default", "5"));
    all.add(replace(s, "/usageStats/anthropic:default/cooldownUntil", "\"later\""));
    all.add(replace(s, "/usageStats/anthropic:default/failureCounts", "[1,2]"));
    all.add(replace(s, "/usageStats/anthropic:default/errorCount", "\"two\""));
    all.add(replace(s, "/lastGood", "7"));
    all.add(replace(s, "/order", "{\"anthropic\":\"x\"}"));
  }

  static void hugeNumbers(List<Case> all) {
    String p = "auth-profiles.json";
    String s = "auth-state.json";
    for (String n : List.of("1e400", "-1e400", "99999999999999999999999999999", "1e-400")) {
      all.add(replace(p, "/profiles/anthropic:work/expires", n));
    }
    all.add(
        replace(
            p, "/profiles/openai-codex:me@example.com/expires", "123456789012345678901234567890"));
    all.add(replace(p, "/version", "1e308"));
    all.add(replace(s, "/usageStats/anthropic:default/cooldownUntil", "1e400"));
    all.add(replace(s, "/usageStats/anthropic:default/errorCount", "99999999999999999999999"));
    all.add(replace(s, "/usageStats/anthropic:default/failureCounts/rate_limit", "-1e300"));
  }

  static void deepNesting(List<Case> all) {
    for (int depth : List.of(64, 500, 999, 1001, 5000, 200_000)) {
      all.add(
          new Case(
              "arrays nested " + depth + " deep in an unknown field",
              d -> Files.writeString(d.resolve("auth-profiles.json"), nested(depth, "[", "]"))));
    }
    for (int depth : List.of(1001, 50_000)) {
      all.add(
          new Case(
              "objects nested " + depth + " deep in the profiles",
              d ->
                  Files.writeString(
                      d.resolve("auth-profiles.json"),
                      "{\"version\":1,\"profiles\":"
                          + "{\"a\":".repeat(depth)
                          + "1"
                          + "}".repeat(depth)
                          + "}")));
    }
    all.add(
        new Case(
            "arrays nested 3000 deep in auth-state.json",
            d -> Files.writeString(d.resolve("auth-state.json"), nested(3000, "[", "]"))));
  }

  static String nested(int depth, String open, String close) {
    return "{\"version\":1,\"profiles\":{},\"x\":" + open.repeat(depth) + close.repeat(depth) + "}";
  }

  static void nulBytes(List<Case> all, Random rnd, byte[] b) {
    for (int i = 0; i < 10; i++) {
      int pos = rnd.nextInt(b.length);
      all.add(
          new Case(
              "NUL byte inserted at " + pos,
              d -> Files.write(d.resolve("auth-profiles.json"), insert(b, pos, new byte[] {0}))));
    }
    all.add(
        new Case(
            "a key with a NUL inside (escaped)",
            d ->
                Files.write(
                    d.resolve("auth-profiles.json"),
                    new String(b, StandardCharsets.UTF_8)
                        .replace("FUZZ-victim-default", "FUZZ\\u0000victim")
                        .getBytes(StandardCharsets.UTF_8))));
    all.add(
        new Case(
            "the file is 4096 NUL bytes",
            d -> Files.write(d.resolve("auth-profiles.json"), new byte[4096])));
  }

  static void invalidUtf8(List<Case> all, Random rnd, byte[] b) {
    byte[][] bad = {
      {(byte) 0xC3, 0x28},
      {(byte) 0xFF},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xC0, (byte) 0xAF}
    };
    String text = new String(b, StandardCharsets.UTF_8);
    int inString = text.indexOf("FUZZ-victim-work");
    for (byte[] seq : bad) {
      for (int pos : new int[] {inString, rnd.nextInt(b.length), b.length - 2}) {
        all.add(
            new Case(
                "invalid UTF-8 " + HexFormat.of().formatHex(seq) + " at " + pos,
                d -> Files.write(d.resolve("auth-profiles.json"), insert(b, pos, seq))));
      }
    }
  }

  static byte[] insert(byte[] b, int pos, byte[] what) {
    byte[] out = new byte[b.length + what.length];
    System.arraycopy(b, 0, out, 0, pos);
    System.arraycopy(what, 0, out, pos, what.length);
    System.arraycopy(b, pos, out, pos + what.length, b.length - pos);
    return out;
  }

  static void links(List<Case> all) {
    all.add(
        new Case(
            "auth-profiles.json is a symlink to /etc/passwd",
            d -> relink(d.resolve("auth-profiles.json"), Path.of("/etc/passwd"))));
    all.add(
        new Case(
            "auth-profiles.json is a symlink to another agent's file",
            d ->
                relink(
                    d.resolve("auth-profiles.json"),
                    d.resolve("../../alpha/agent/auth-profiles.json"))));
    all.add(
        new Case(
            "auth-profiles.json is a dangling symlink",
            d -> relink(d.resolve("auth-profiles.json"), d.resolve("nowhere.json"))));
    all.add(
        new Case(
            "auth-state.json is a symlink to /etc/hostname",
            d -> relink(d.resolve("auth-state.json"), Path.of("/etc/hostname"))));
    all.add(
        new Case(
            "agents/victim/agent is a symlink to another agent's dir",
            d -> {
              deleteTree(d);
              Files.createSymbolicLink(d, d.resolve("../../alpha/agent").normalize());
            }));
    all.add(
        new Case(
            "agents/victim is a symlink to a dir outside the agents dir",
            d -> {
              Path outside = d.getParent().getParent().getParent().resolve("elsewhere");
              Files.createDirectories(outside.resolve("agent"));
              Files.write(outside.resolve("agent").resolve("auth-profiles.json"), victimProfiles());
              deleteTree(d.getParent());
              Files.createSymbolicLink(d.getParent(), outside);
            }));
  }

  static void relink(Path file, Path target) throws IOException {
    Files.delete(file);
    Files.createSymbolicLink(file, target);
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static void misc(List<Case> all) {
    String p = "auth-profiles.json";
    for (String text :
        List.of(
            "",
            "   \n\t ",
            "null",
            "[]",
            "\"a string\"",
            "42",
            "{}",
            "{\"version\":1,\"profiles\":{}} trailing",
            "{\"version\":1,\"profiles\":{}}{\"version\":1}",
            "{\"version\":1,\"profiles\":{\"anthropic:a\":{\"type\":\"api_key\",\"key\":\"k1\"},"
                + "\"anthropic:a\":{\"type\":\"api_key\",\"key\":\"k2\"}}}",
            "{'version':1}",
            "{\"version\":1,\"profiles\":{},}")) {
      all.add(
          new Case(
              p + " is " + (text.length() > 30 ? text.substring(0, 30) + "…" : "'" + text + "'"),
              d -> Files.writeString(d.resolve(p), text)));
    }
    all.add(
        new Case(
            "a UTF-8 BOM before valid JSON",
            d ->
                Files.write(
                    d.resolve(p),
                    insert(
                        victimProfiles(), 0, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}))));
    all.add(
        new Case(
            "auth-profiles.json is a directory",
            d -> {
              Files.delete(d.resolve(p));
              Files.createDirectory(d.resolve(p));
            }));
    all.add(
        new Case(
            "auth-state.json is a directory",
            d -> {
              Files.delete(d.resolve("auth-state.json"));
              Files.createDirectories(d.resolve("auth-state.json").resolve("inner"));
            }));
    all.add(
        new Case(
            "auth-profiles.json is 10 MB of valid JSON",
            d ->
                Files.writeString(
                    d.resolve(p),
                    "{\"version\":1,\"profiles\":{},\"pad\":\"" + "x".repeat(10 << 20) + "\"}")));
    all.add(
        new Case(
            "auth-profiles.json is 10 MB of garbage",
            d -> {
              byte[] junk = new byte[10 << 20];
              new Random(SEED).nextBytes(junk);
              Files.write(d.resolve(p), junk);
            }));
    all.add(
        new Case(
            "auth-state.json is 10 MB",
            d ->
                Files.writeString(
                    d.resolve("auth-state.json"),
                    "{\"version\":1,\"pad\":\"" + "y".repeat(10 << 20) + "\"}")));
  }
}
