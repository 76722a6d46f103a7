package dev.tokensink.status;

import static dev.tokensink.status.StatusSeed.apiKey;
import static dev.tokensink.status.StatusSeed.oauth;
import static dev.tokensink.status.StatusSeed.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.api.v1.Outcome;
import dev.tokensink.api.v1.ReportOutcomeRequest;
import dev.tokensink.model.Profile;
import dev.tokensink.model.Secret;
import dev.tokensink.oauth.Jwt;
import dev.tokensink.testing.ReplicaProcess;
import dev.tokensink.testing.Secrets;
import dev.tokensink.testing.StrictOAuthServer;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The status page in a real browser (Debian's headless Chromium through ChromeDriver, driven by
 * Selenium) against the packaged service in its own JVM on a file store: the seeded agents are
 * listed; a ReportOutcome sent by the test turns that profile to {@code cooldown} on the open page
 * within 2 s without a reload; a forced refresh (AUTH_FAILED on an OAuth profile, answered by the
 * strict test provider) appears in the history; the timeline has one bar per profile; the page fits
 * 1280×800 and a 390-px phone (screenshots under target/screenshots); a lost connection is shown
 * and heals; without callers only loopback peers get the page. The last test measures the render
 * time of 100 agents × 20 profiles (written to target/status-render.txt; no timing assertion).
 */
class StatusPageIT {
  private static final Clock CLOCK = Clock.systemUTC();
  private static final int SEEDED_PROFILES = 8;

  /** Elements that stick out of the viewport, for a useful failure message. */
  private static final String WIDER_THAN_VIEWPORT =
      "var w = document.documentElement.clientWidth, out = [];"
          + "document.querySelectorAll('body *').forEach(function (e) {"
          + "  var r = e.getBoundingClientRect();"
          + "  if (r.right > w + 1 && out.length < 8) {"
          + "    out.push(e.tagName + '#' + e.id + '.' + e.className + ' right=' + Math.round(r.right));"
          + "  }"
          + "});"
          + "return w + ' ' + document.documentElement.scrollWidth + ' ' + out.join(' | ');";

  private static String conn(Browser b) {
    return String.valueOf(b.js("return document.getElementById('conn').textContent;"));
  }

  private final List<String> secrets = new ArrayList<>();

  private Map<String, String> properties(StrictOAuthServer server, Path stateDir) {
    String base = server.baseUri().toString();
    Map<String, String> p = new HashMap<>();
    p.put("tokensink.state-dir", stateDir.toString());
    p.put("tokensink.providers.strict.authorize-url", base + "/oauth/authorize");
    p.put("tokensink.providers.strict.token-url", base + "/oauth/token");
    p.put("tokensink.providers.strict.client-id", StrictOAuthServer.CLIENT_ID);
    p.put("tokensink.providers.strict.redirect-uri", "http://127.0.0.1:1455/auth/callback");
    return p;
  }

  private Profile keep(Profile p) {
    Secret s = p.credential().secret();
    secrets.add(s.reveal());
    if (p.credential() instanceof dev.tokensink.model.Credential.OAuth o) {
      secrets.add(o.refresh().reveal());
    }
    return p;
  }

  /** Three agents, eight profiles, in every state the page shows. */
  private Path seed(StrictOAuthServer server) throws IOException {
    Path dir = Files.createTempDirectory("tokensink-status-it-");
    long now = CLOCK.millis();
    StrictOAuthServer.TokenPair grant = server.seedGrant();
    long expires = Jwt.parse(Secret.of(grant.access())).expiresAtMillis().orElseThrow();
    StatusSeed.agent(
        dir,
        CLOCK,
        "main",
        List.of(
            keep(oauth("strict:default", grant.access(), grant.refresh(), expires, "acct-1")),
            keep(apiKey("anthropic:default", "sk-ant-api03-IT-main-default-4c1d9e7f0a2b")),
            keep(
                token(
                    "anthropic:work",
                    "sk-ant-oat01-IT-main-work-" + "0".repeat(60),
                    now + Duration.ofHours(5).toMillis()))),
        StatusSeed.order("anthropic", "anthropic:work", "anthropic:default"));
    StatusSeed.agent(
        dir,
        CLOCK,
        "work",
        List.of(
            keep(apiKey("openrouter:default", "sk-or-v1-IT-work-default-77e0b1c2d3")),
            keep(apiKey("openrouter:team", "sk-or-v1-IT-work-team-19f3a4b5c6"))),
        StatusSeed.cooldown(
            "openrouter:team", now + Duration.ofMinutes(40).toMillis(), "rate_limit", "gpt-5"));
    StatusSeed.agent(
        dir,
        CLOCK,
        "ops",
        List.of(
            keep(token("custom:expired", "tok-IT-ops-expired-5e6f7a8b9c", now - 60_000)),
            keep(apiKey("openai:default", "sk-IT-ops-openai-default-0d1e2f3a4b")),
            keep(
                oauth(
                    "openai-codex:me@example.com",
                    "at-IT-ops-codex-access-2b3c4d5e",
                    "rt-IT-ops-codex-refresh-6f7a8b9c",
                    now + Duration.ofHours(6).toMillis(),
                    "acct-ops"))),
        ((UnaryOperator<dev.tokensink.model.AgentSnapshot>)
                    StatusSeed.disabled(
                        "openai:default", now + Duration.ofHours(2).toMillis(), "billing"))
                .andThen(
                    StatusSeed.reauth(
                        "openai-codex:me@example.com",
                        "refresh token revoked (invalid_grant)",
                        now))
            ::apply);
    return dir;
  }

  private static ReplicaProcess serve(String name, Map<String, String> props)
      throws IOException, InterruptedException {
    ReplicaProcess p = ReplicaProcess.start(name, props);
    p.awaitReadiness(200, Duration.ofSeconds(90));
    return p;
  }

  private static String url(ReplicaProcess p) {
    return "http://127.0.0.1:" + p.httpPort() + "/status";
  }

  private static void report(ReplicaProcess p, String agent, String profile, Outcome outcome) {
    p.broker()
        .reportOutcome(
            ReportOutcomeRequest.newBuilder()
                .setAgent(agent)
                .setProfileId(profile)
                .setOutcome(outcome)
                .build());
  }

  private static By row(String agent, String profile) {
    return By.cssSelector("#agents tr[data-agent='" + agent + "'][data-profile='" + profile + "']");
  }

  /**
   * A profile's state on the page, read in one script call (rows are replaced when they change).
   */
  private static String state(Browser b, String agent, String profile) {
    Object s =
        b.js(
            "var r = document.querySelector(\"#agents tr[data-agent='\" + arguments[0]"
                + " + \"'][data-profile='\" + arguments[1] + \"']\"); return r && r.dataset.state;",
            agent,
            profile);
    return s == null ? null : s.toString();
  }

  private static Set<String> attrs(List<WebElement> els, String attr) {
    Set<String> out = new TreeSet<>();
    els.forEach(e -> out.add(e.getDomAttribute(attr)));
    return out;
  }

  @Test
  void page_listsAgents_turnsCooldownLive_showsForcedRefresh_oneBarPerProfile() throws Exception {
    try (StrictOAuthServer server = StrictOAuthServer.start(CLOCK);
        ReplicaProcess service = serve("status-page", properties(server, seed(server)));
        Browser b = new Browser()) {
      b.driver.get(url(service));
      b.await(Duration.ofSeconds(30)).until(d -> conn(b).startsWith("live"));
      b.await(Duration.ofSeconds(10))
          .until(
              d ->
                  d.findElements(By.cssSelector("#agents tr[data-profile]")).size()
                      == SEEDED_PROFILES);

      // the seeded agents and profiles, with their states
      assertEquals(
          Set.of("main", "ops", "work"),
          attrs(b.driver.findElements(By.cssSelector("#agents section.agent")), "data-agent"));
      assertEquals("ok", state(b, "main", "anthropic:default"));
      assertEquals("expiring", state(b, "main", "anthropic:work"));
      assertEquals("cooldown", state(b, "work", "openrouter:team"));
      assertEquals("expired", state(b, "ops", "custom:expired"));
      assertEquals("disabled", state(b, "ops", "openai:default"));
      assertEquals("reauth_required", state(b, "ops", "openai-codex:me@example.com"));
      assertTrue(
          b.driver.findElement(row("work", "openrouter:team")).getText().contains("model gpt-5"),
          "a model-scoped cooldown names its model");
      // what to do: the exact command for the grant that is gone
      List<String> commands =
          b.driver.findElements(By.cssSelector("#problems code.command")).stream()
              .map(WebElement::getText)
              .toList();
      assertTrue(
          commands.contains(
              "tokensink models auth login --provider openai-codex --agent ops --profile me@example.com"),
          commands.toString());
      assertTrue(
          commands.contains(
              "tokensink models auth paste-token --provider custom --agent ops --profile expired"),
          commands.toString());

      // the timeline: one lifetime bar per profile, in one row per profile
      List<WebElement> bars = b.driver.findElements(By.cssSelector("#timeline g.tl-row rect.bar"));
      assertEquals(SEEDED_PROFILES, bars.size());
      assertEquals(
          SEEDED_PROFILES, b.driver.findElements(By.cssSelector("#timeline g.tl-row")).size());
      assertEquals(
          1,
          b.driver
              .findElements(
                  By.cssSelector(
                      "#timeline g.tl-row[data-profile='strict:default'] path.refresh-mark"))
              .size(),
          "the OAuth profile's scheduled refresh is drawn");
      assertFalse(
          b.driver.findElements(By.cssSelector("#timeline rect.band.cooldown")).isEmpty(),
          "cooldown band");
      b.driver.findElement(By.cssSelector("#zoom button[data-hours='1']")).click();
      b.await(Duration.ofSeconds(5))
          .until(
              d ->
                  d.findElements(By.cssSelector("#timeline g.tl-row rect.bar")).size()
                      == SEEDED_PROFILES);

      // live: a ReportOutcome turns the profile to cooldown on the open page, without a reload
      b.js("window.__sameDocument = 'yes';");
      long sent = System.currentTimeMillis();
      report(service, "main", "anthropic:default", Outcome.RATE_LIMITED);
      long answered = System.currentTimeMillis();
      b.await(Duration.ofSeconds(2))
          .until(d -> "cooldown".equals(state(b, "main", "anthropic:default")));
      // when the page drew the change (its own clock, the machine's), not when Selenium looked
      long shownMs =
          ((Number)
                      b.js(
                          "return Number(document.querySelector(\"#agents"
                              + " section[data-agent='main']\").dataset.renderedAt);"))
                  .longValue()
              - sent;
      assertEquals("yes", b.js("return window.__sameDocument;"), "no reload");
      long pageMs = shownMs - (answered - sent);
      System.out.println(
          "status page: cooldown shown "
              + shownMs
              + " ms after ReportOutcome was sent, "
              + pageMs
              + " ms after it was answered");
      // the page's share: from the broker's answer (state stored, event published) to the drawn row
      assertTrue(pageMs <= 2000, "cooldown shown " + pageMs + " ms after ReportOutcome's answer");

      // a forced refresh (AUTH_FAILED on the OAuth profile) appears in the refresh history
      report(service, "main", "strict:default", Outcome.AUTH_FAILED);
      WebElement forced =
          b.await(Duration.ofSeconds(10))
              .until(
                  d ->
                      d
                          .findElements(
                              By.cssSelector(
                                  "#history tbody tr[data-mode='force'][data-profile='strict:default']"))
                          .stream()
                          .findFirst()
                          .orElse(null));
      assertEquals("refreshed", forced.getDomAttribute("data-result"));
      assertEquals("yes", b.js("return window.__sameDocument;"), "no reload");

      // usable at 1280x800 and on a 390-px phone: nothing wider than the screen
      b.driver.findElement(By.cssSelector("#zoom button[data-hours='24']")).click();
      b.desktop(1280, 800);
      b.await(Duration.ofSeconds(5))
          .until(
              d ->
                  ((Number) b.js("return document.documentElement.scrollWidth;")).intValue()
                      <= 1280);
      b.js("window.scrollTo(0, 0);");
      Path wide = b.screenshot("status-page-1280x800.png");
      b.phone(390, 844);
      b.js("window.dispatchEvent(new Event('resize'));");
      try {
        b.await(Duration.ofSeconds(10))
            .until(
                d ->
                    ((Number) b.js("return document.documentElement.scrollWidth;")).intValue()
                        <= 390);
      } catch (org.openqa.selenium.TimeoutException e) {
        throw new AssertionError("wider than 390 px: " + b.js(WIDER_THAN_VIEWPORT), e);
      }
      b.js("window.scrollTo(0, 0);");
      Path narrow = b.screenshot("status-page-390.png");
      assertTrue(Files.size(wide) > 10_000 && Files.size(narrow) > 10_000, "screenshots written");

      // no secret in the page or in the service's log
      String html = b.driver.getPageSource();
      for (String s : secrets) {
        Secrets.assertNotIn(html, s);
        Secrets.assertNotIn(service.log(), s);
      }
    }
  }

  @Test
  void lostConnection_isShownOnThePage_andTheStreamComesBack() throws Exception {
    try (StrictOAuthServer server = StrictOAuthServer.start(CLOCK);
        Browser b = new Browser()) {
      Path dir = seed(server);
      Map<String, String> props = properties(server, dir);
      props.put("tokensink.grpc.port", Integer.toString(freePort()));
      props.put("tokensink.http.port", Integer.toString(freePort()));
      String url;
      try (ReplicaProcess first = serve("status-first", props)) {
        url = url(first);
        b.driver.get(url);
        b.await(Duration.ofSeconds(30)).until(d -> conn(b).equals("live"));
      }
      b.await(Duration.ofSeconds(15)).until(d -> conn(b).contains("connection lost"));
      b.js("window.__sameDocument = 'yes';");
      try (ReplicaProcess second = serve("status-second", props)) {
        b.await(Duration.ofSeconds(30)).until(d -> conn(b).equals("live (reconnected)"));
        report(second, "work", "openrouter:default", Outcome.RATE_LIMITED);
        b.await(Duration.ofSeconds(5))
            .until(d -> "cooldown".equals(state(b, "work", "openrouter:default")));
        assertEquals("yes", b.js("return window.__sameDocument;"), "no reload");
      }
    }
  }

  @Test
  void withoutCallers_onlyLoopbackPeersGetThePage() throws Exception {
    Optional<InetAddress> external = nonLoopbackAddress();
    Assumptions.assumeTrue(
        external.isPresent(), "this machine has no non-loopback IPv4 address to call from");
    try (StrictOAuthServer server = StrictOAuthServer.start(CLOCK)) {
      Map<String, String> props = properties(server, seed(server));
      props.put("tokensink.http.host", "0.0.0.0");
      try (ReplicaProcess service = serve("status-bound-wide", props)) {
        HttpClient http = HttpClient.newHttpClient();
        String host = external.get().getHostAddress();
        for (String path :
            List.of("/status", "/status/api", "/status/events", "/status/assets/status.js")) {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://" + host + ":" + service.httpPort() + path))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertEquals(403, r.statusCode(), path + ": " + r.body());
          assertTrue(r.body().contains("loopback only"), r.body());
          assertFalse(r.body().contains("openrouter"), "no data");
        }
        assertEquals(200, service.httpStatus("/status/api"));
        assertEquals(200, service.httpStatus("/status"));
      }
    }
  }

  /**
   * Not a pass/fail timing check (benchmarks are not tests): renders 100 agents × 20 profiles and
   * writes the page's own render time (DOM and SVG built, layout done) and the time from navigation
   * to all 2 000 rows on screen to target/status-render.txt, median of three loads.
   */
  @Test
  void render_100Agents_x_20Profiles() throws Exception {
    Path dir = Files.createTempDirectory("tokensink-status-render-");
    long now = CLOCK.millis();
    for (int a = 0; a < 100; a++) {
      List<Profile> profiles = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String id = "agent" + a + "p" + i;
        profiles.add(
            switch (i % 4) {
              case 0 ->
                  oauth(
                      "openai-codex:" + id,
                      "at-render-" + id + "-0123456789",
                      "rt-render-" + id + "-0123456789",
                      now + Duration.ofHours(2 + i).toMillis(),
                      "acct-" + id);
              case 1 ->
                  token(
                      "anthropic:" + id,
                      "tok-render-" + id + "-0123456789",
                      now + Duration.ofHours(i).toMillis());
              default ->
                  apiKey(
                      (i % 4 == 2 ? "openrouter:" : "openai:") + id,
                      "sk-render-" + id + "-0123456789");
            });
      }
      String first = "openrouter:agent" + a + "p2";
      StatusSeed.agent(
          dir,
          CLOCK,
          String.format("agent-%03d", a),
          profiles,
          StatusSeed.cooldown(first, now + Duration.ofMinutes(30).toMillis(), "rate_limit", null));
    }
    Map<String, String> props = new HashMap<>();
    props.put("tokensink.state-dir", dir.toString());
    List<Double> render = new ArrayList<>();
    List<Long> wall = new ArrayList<>();
    try (ReplicaProcess service = serve("status-render", props);
        Browser b = new Browser()) {
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        b.driver.get(url(service));
        b.await(Duration.ofSeconds(60))
            .until(
                d ->
                    "2000"
                        .equals(
                            d.findElement(By.tagName("body")).getDomAttribute("data-profiles")));
        wall.add((System.nanoTime() - t0) / 1_000_000);
        render.add(
            Double.parseDouble(
                b.driver.findElement(By.tagName("body")).getDomAttribute("data-render-ms")));
        assertEquals(
            2000, b.driver.findElements(By.cssSelector("#agents tr[data-profile]")).size());
        assertEquals(2000, b.driver.findElements(By.cssSelector("#timeline rect.bar")).size());
      }
    }
    Collections.sort(render);
    Collections.sort(wall);
    String line =
        String.format(
            "status page, 100 agents x 20 profiles, Chromium %s: render (DOM + SVG + layout) median %.0f ms"
                + " (runs %s); navigation to all rows shown median %d ms (runs %s)%n",
            chromiumVersion(), render.get(1), render, wall.get(1), wall);
    Files.writeString(Path.of("target", "status-render.txt"), line);
    System.out.print(line);
  }

  private static String chromiumVersion() {
    try {
      Process p =
          new ProcessBuilder(Browser.CHROMIUM, "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      String[] lines = out.split("\n");
      return lines[lines.length - 1];
    } catch (IOException | InterruptedException e) {
      return "?";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!ni.isUp() || ni.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(ni.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }
}
