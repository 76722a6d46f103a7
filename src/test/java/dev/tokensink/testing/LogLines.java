package dev.tokensink.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Collects the formatted lines of one logger category (e.g. {@code tokensink.audit}) while open.
 */
public final class LogLines extends Handler implements AutoCloseable {
  private final Logger logger;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private LogLines(String category) {
    this.logger = Logger.getLogger(category);
    logger.addHandler(this);
  }

  public static LogLines of(String category) {
    return new LogLines(category);
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void publish(LogRecord r) {
    lines.add(r instanceof ExtLogRecord e ? e.getFormattedMessage() : r.getMessage());
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
