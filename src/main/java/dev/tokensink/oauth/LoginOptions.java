package dev.tokensink.oauth;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;

/**
 * How a login interacts with its surroundings.
 *
 * @param timeout how long to wait for the browser or a paste (default 5 minutes)
 * @param browser opens the authorize URL; {@link BrowserLauncher#none()} in tests
 * @param stdinIsTerminal whether a person can paste into stdin; when false and {@code --no-browser}
 *     is not given, only the loopback callback is awaited
 * @param random source of the PKCE verifier and state
 */
public record LoginOptions(
    Duration timeout, BrowserLauncher browser, boolean stdinIsTerminal, SecureRandom random) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  public LoginOptions {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(browser, "browser");
    Objects.requireNonNull(random, "random");
  }

  /**
   * The CLI's defaults: 5 minutes, the system browser, stdin is a terminal when a console exists.
   */
  public static LoginOptions defaults() {
    return new LoginOptions(
        DEFAULT_TIMEOUT, BrowserLauncher.system(), System.console() != null, new SecureRandom());
  }

  public LoginOptions withTimeout(Duration t) {
    return new LoginOptions(t, browser, stdinIsTerminal, random);
  }

  public LoginOptions withBrowser(BrowserLauncher b) {
    return new LoginOptions(timeout, b, stdinIsTerminal, random);
  }

  public LoginOptions withStdinIsTerminal(boolean terminal) {
    return new LoginOptions(timeout, browser, terminal, random);
  }
}
