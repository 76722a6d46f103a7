package dev.tokensink.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A PrintStream whose lines a test can wait for, as they are printed by another thread. */
public final class LineCapture {
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuffer all = new StringBuffer();
  private final PrintStream stream;

  public LineCapture() {
    OutputStream sink =
        new OutputStream() {
          private final ByteArrayOutputStream line = new ByteArrayOutputStream();

          @Override
          public synchronized void write(int b) {
            if (b == '\n') {
              String s = line.toString(StandardCharsets.UTF_8);
              line.reset();
              all.append(s).append('\n');
              lines.add(s);
            } else {
              line.write(b);
            }
          }
        };
    stream = new PrintStream(sink, true, StandardCharsets.UTF_8);
  }

  public PrintStream stream() {
    return stream;
  }

  /**
   * The next printed line starting with {@code prefix} (earlier lines are consumed); null on
   * timeout.
   */
  public String awaitLineStartingWith(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String l = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (l == null || l.startsWith(prefix)) {
        return l;
      }
    }
  }

  /** Everything printed so far. */
  public String text() {
    return all.toString();
  }
}
