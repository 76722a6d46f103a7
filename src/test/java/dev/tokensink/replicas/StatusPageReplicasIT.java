package dev.tokensink.replicas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokensink.api.v1.Outcome;
import dev.tokensink.api.v1.ReportOutcomeRequest;
import dev.tokensink.testing.PostgresServer;
import dev.tokensink.testing.ReplicaProcess;
import dev.tokensink.testing.StrictOAuthServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The status page on the PostgreSQL store: replica A's open page (its event stream) shows what
 * replica B does: a forced refresh on B appears in A's history as an external refresh and in B's
 * own history as mode {@code force}; a cooldown reported to B turns the profile to {@code cooldown}
 * on A's page.
 */
class StatusPageReplicasIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension final Closer resources = new Closer();

  /** One SSE message. */
  private record Message(String event, JsonNode data) {}

  /** Follows a replica's /status/events on a daemon thread. */
  private static final class Page implements AutoCloseable {
    final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile InputStream body;

    Page(ReplicaProcess r) {
      thread =
          new Thread(
              () -> {
                try {
                  HttpResponse<InputStream> resp =
                      HttpClient.newHttpClient()
                          .send(
                              HttpRequest.newBuilder(
                                      URI.create(
                                          "http://127.0.0.1:" + r.httpPort() + "/status/events"))
                                  .build(),
                              HttpResponse.BodyHandlers.ofInputStream());
                  body = resp.body();
                  BufferedReader in =
                      new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                  String event = null;
                  for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("event: ")) {
                      event = line.substring(7);
                    } else if (line.startsWith("data: ") && event != null) {
                      messages.add(new Message(event, JSON.readTree(line.substring(6))));
                    }
                  }
                } catch (Exception e) {
                  // closed
                }
              },
              "status-page-follower");
      thread.setDaemon(true);
      thread.start();
    }

    Message await(Predicate<Message> what, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        Message m = messages.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
        if (m == null) {
          throw new AssertionError("no matching status-page message within " + timeout);
        }
        if (what.test(m)) {
          return m;
        }
      }
    }

    @Override
    public void close() throws Exception {
      InputStream b = body;
      if (b != null) {
        b.close();
      }
      thread.interrupt();
    }
  }

  private static void report(ReplicaProcess r, Outcome outcome) {
    r.broker()
        .reportOutcome(
            ReportOutcomeRequest.newBuilder()
                .setAgent(ReplicaFixture.AGENT.value())
                .setProfileId(ReplicaFixture.PROFILE.toString())
                .setOutcome(outcome)
                .build());
  }

  private static boolean profileState(Message m, String state) {
    if (!m.event().equals("agent") && !m.event().equals("snapshot")) {
      return false;
    }
    List<JsonNode> agents =
        m.event().equals("agent") ? List.of(m.data()) : iterable(m.data().get("agents"));
    for (JsonNode a : agents) {
      for (JsonNode p : a.path("profiles")) {
        if (p.get("id").asText().equals(ReplicaFixture.PROFILE.toString())
            && p.get("state").asText().equals(state)) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<JsonNode> iterable(JsonNode arr) {
    List<JsonNode> out = new java.util.ArrayList<>();
    arr.forEach(out::add);
    return out;
  }

  @Test
  void replicaAsPage_showsReplicaBsRefreshAndCooldown() throws Exception {
    PostgresServer pg = resources.add(PostgresServer.startNew());
    StrictOAuthServer server = resources.add(StrictOAuthServer.start(Clock.systemUTC()));
    ReplicaFixture fx = new ReplicaFixture(pg.newDatabase(), server);
    fx.seed(ReplicaFixture.AGENT, ReplicaFixture.PROFILE);
    List<ReplicaProcess> replicas = fx.start(2, Map.of());
    resources.addAll(replicas);
    ReplicaProcess a = replicas.get(0);
    ReplicaProcess b = replicas.get(1);

    Page page = resources.add(new Page(a));
    Message snapshot = page.await(m -> m.event().equals("snapshot"), Duration.ofSeconds(30));
    assertEquals("postgres", snapshot.data().get("store").asText());
    assertTrue(profileState(snapshot, "ok"), snapshot.data().toString());

    // a forced refresh on B: A's history shows it as external, B's as force
    report(b, Outcome.AUTH_FAILED);
    Message external =
        page.await(
            m ->
                m.event().equals("refresh")
                    && m.data().get("profile").asText().equals(ReplicaFixture.PROFILE.toString()),
            Duration.ofSeconds(20));
    assertEquals("external", external.data().get("mode").asText());
    assertEquals("refreshed", external.data().get("result").asText());
    HttpResponse<String> bApi =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + b.httpPort() + "/status/api"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    JsonNode bHistory = JSON.readTree(bApi.body()).get("history");
    assertTrue(
        iterable(bHistory).stream()
            .anyMatch(
                h ->
                    h.get("mode").asText().equals("force")
                        && h.get("result").asText().equals("refreshed")),
        bHistory.toString());

    // a cooldown reported to B shows on A's open page
    report(b, Outcome.RATE_LIMITED);
    page.await(m -> profileState(m, "cooldown"), Duration.ofSeconds(20));
  }
}
