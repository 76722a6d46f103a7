package dev.tokensink.oauth;

import java.net.URI;
import java.util.Locale;

/** Opens the authorize URL in a browser, when one can be opened here. */
@FunctionalInterface
public interface BrowserLauncher {
  /**
   * Tries to open {@code uri}; false when no browser could be started. Never blocks on the browser.
   */
  boolean open(URI uri);

  /** Never opens anything (tests, headless runs). */
  static BrowserLauncher none() {
    return uri -> false;
  }

  /**
   * {@code xdg-open} when a display is set (Linux, BSD), {@code open} on macOS; nothing elsewhere.
   */
  static BrowserLauncher system() {
    return uri -> {
      String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
      String command;
      if (os.contains("mac")) {
        command = "open";
      } else if (System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null) {
        command = "xdg-open";
      } else {
        return false;
      }
      try {
        new ProcessBuilder(command, uri.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        return true;
      } catch (java.io.IOException e) {
        return false;
      }
    };
  }
}
