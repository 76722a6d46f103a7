package dev.tokensink.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.events.LifecycleEvent;
import dev.tokensink.model.AgentId;
import dev.tokensink.security.Caller;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open status page: a server-sent event stream fed by one event-hub subscription (the events of
 * StreamExpiryEvents, for the caller's agents), by cache updates (changes made by other processes
 * and replicas, last-used times) and by the refresh history.
 *
 * <p>Concurrency: producers (the hub's delivery threads, the cache's writer threads, refresh
 * workers) only mark what changed and schedule one flush on the connection's Vert.x context; {@link
 * #flush} runs there, coalesces changes of {@link #FLUSH_MS} into one message per agent, and builds
 * each agent's view from the cache at that moment (no store I/O). A client that does not read
 * (write queue full) is disconnected; its page reconnects and starts from a fresh snapshot.
 */
final class PageStream {
  static final long FLUSH_MS = 100;
  private static final int MAX_EVENTS = 200;

  private final Caller caller;
  private final HttpServerResponse response;
  private final Context context;
  private final StatusView view;
  private final RefreshHistory history;
  private final Set<AgentId> dirty = ConcurrentHashMap.newKeySet();
  private final ArrayDeque<LifecycleEvent> events = new ArrayDeque<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile boolean closed;
  private long lastSeq;
  private Cancellable subscription;

  PageStream(
      Caller caller,
      HttpServerResponse response,
      Context context,
      StatusView view,
      RefreshHistory history) {
    this.caller = caller;
    this.response = response;
    this.context = context;
    this.view = view;
    this.history = history;
  }

  Caller caller() {
    return caller;
  }

  void subscription(Cancellable s) {
    this.subscription = s;
    if (closed) {
      s.cancel();
    }
  }

  /** Starts the stream with the whole view (on the connection's context). */
  void start(StatusView.Filter filter) {
    response.setChunked(true);
    lastSeq = history.lastSeq();
    ObjectNode snapshot = view.full(caller, filter);
    response.write("retry: 2000\n\n");
    send("snapshot", snapshot);
  }

  /** A hub event (any thread). */
  void event(LifecycleEvent e) {
    synchronized (events) {
      if (events.size() >= MAX_EVENTS) {
        events.pollFirst();
      }
      events.addLast(e);
    }
    dirty.add(e.agent());
    schedule();
  }

  /** An agent's cached data changed (any thread). */
  void agentChanged(AgentId agent) {
    if (caller.mayUse(agent)) {
      dirty.add(agent);
      schedule();
    }
  }

  /** A refresh was added to the history (any thread). */
  void historyChanged() {
    schedule();
  }

  void heartbeat() {
    context.runOnContext(
        v -> {
          if (!closed && !response.writeQueueFull()) {
            response.write(": keep-alive\n\n");
          }
        });
  }

  private void schedule() {
    if (!closed && scheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> context.owner().setTimer(FLUSH_MS, t -> flush()));
    }
  }

  private void flush() {
    scheduled.set(false);
    if (closed) {
      return;
    }
    if (response.writeQueueFull()) {
      response.reset(); // the page reconnects and gets a fresh snapshot
      return;
    }
    List<LifecycleEvent> batch;
    synchronized (events) {
      batch = new ArrayList<>(events);
      events.clear();
    }
    for (LifecycleEvent e : batch) {
      ObjectNode o = StatusView.JSON.createObjectNode();
      o.put("type", e.type().name());
      o.put("agent", e.agent().value());
      o.put("profile", e.profileId().toString());
      o.put("provider", e.provider().value());
      if (e.expiresAt() != null) {
        o.put("expiresAt", e.expiresAt().toEpochMilli());
      }
      o.put("at", e.occurredAt().toEpochMilli());
      o.put("reason", e.reason());
      send("event", o);
    }
    List<AgentId> agents = new ArrayList<>(dirty);
    dirty.removeAll(agents);
    for (AgentId a : agents) {
      ObjectNode o = view.agent(a);
      o.put("now", view.now());
      send("agent", o);
    }
    for (RefreshHistory.Entry e : history.since(lastSeq, caller::mayUse)) {
      lastSeq = Math.max(lastSeq, e.seq());
      send("refresh", view.entry(e));
    }
  }

  private void send(String event, ObjectNode data) {
    response.write("event: " + event + "\ndata: " + data.toString() + "\n\n");
  }

  /** The connection ended (client gone, server stopping). */
  void closed() {
    closed = true;
    Cancellable s = subscription;
    if (s != null) {
      s.cancel();
    }
  }

  void end() {
    context.runOnContext(
        v -> {
          if (!closed) {
            response.end();
          }
        });
  }
}
