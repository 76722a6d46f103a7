package dev.tokensink.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Suite-wide (registered through META-INF/services and surefire's {@code
 * junit.jupiter.extensions.autodetection.enabled}): captures every log record of the JVM with a
 * handler on the root logger, and after each test fails it when a secret value tests registered
 * ({@link Secrets#register}) appears in a message or in an exception's message. The failure names
 * the logger, never the secret.
 */
public final class SecretScanExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  private static final Capture CAPTURE = new Capture();

  @Override
  public void beforeAll(ExtensionContext context) {
    attach();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    attach(); // Quarkus may have reconfigured logging while it started
  }

  @Override
  public void afterEach(ExtensionContext context) {
    scan();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    scan();
  }

  private static synchronized void attach() {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      if (h == CAPTURE) {
        return;
      }
    }
    root.addHandler(CAPTURE);
  }

  /** Checks what was logged since the last scan against every registered secret. */
  static void scan() {
    List<String> hits = new ArrayList<>();
    for (String line; (line = CAPTURE.lines.poll()) != null; ) {
      for (String secret : SecretRegistry.SECRETS) {
        if (line.contains(secret)) {
          hits.add(line.replace(secret, "<SECRET>"));
        }
      }
    }
    if (!hits.isEmpty()) {
      throw new AssertionError(
          "a registered secret appeared in the log ("
              + hits.size()
              + " line(s)): "
              + String.join(" | ", hits.subList(0, Math.min(3, hits.size()))));
    }
  }

  /** The captured text of each record: logger, message, and the messages of its exception chain. */
  static final class Capture extends Handler {
    final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

    @Override
    public void publish(LogRecord r) {
      StringBuilder b =
          new StringBuilder(r.getLoggerName() == null ? "" : r.getLoggerName()).append(": ");
      try {
        b.append(
            r instanceof ExtLogRecord e
                ? e.getFormattedMessage()
                : new java.util.logging.SimpleFormatter().formatMessage(r));
      } catch (RuntimeException e) {
        b.append(r.getMessage());
      }
      for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
        b.append(" / ").append(t);
      }
      lines.add(b.toString());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
