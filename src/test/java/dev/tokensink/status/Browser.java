package dev.tokensink.status;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its ChromeDriver ({@code apt-get install chromium
 * chromium-driver}; .ci/run installs both), with a fresh profile directory that is deleted on
 * close. Nothing is downloaded: both binaries are named explicitly, so Selenium Manager stays out.
 */
final class Browser implements AutoCloseable {
  static final String CHROMIUM = System.getProperty("tokensink.chromium", "/usr/bin/chromium");
  static final String DRIVER =
      System.getProperty("tokensink.chromedriver", "/usr/bin/chromedriver");

  final ChromeDriver driver;
  private final Path profile;
  private final ChromeDriverService service;

  Browser() {
    for (String bin : new String[] {CHROMIUM, DRIVER}) {
      if (!Files.isExecutable(Path.of(bin))) {
        throw new IllegalStateException(
            bin
                + " is missing: the browser tests need Debian's chromium and chromium-driver"
                + " (apt-get install -y chromium chromium-driver; .ci/run installs them)");
      }
    }
    try {
      profile = Files.createTempDirectory("tokensink-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,800",
        "--user-data-dir=" + profile);
    service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
  }

  WebDriverWait await(Duration d) {
    WebDriverWait w = new WebDriverWait(driver, d);
    w.pollingEvery(Duration.ofMillis(50));
    return w;
  }

  /** The viewport as a desktop browser of this size. */
  void desktop(int width, int height) {
    driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    driver.manage().window().setSize(new Dimension(width, height));
  }

  /** The viewport as a phone of this CSS width (Chrome's device emulation). */
  void phone(int width, int height) {
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", true));
  }

  Path screenshot(String name) throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "screenshots"));
    Path out = dir.resolve(name);
    Files.write(out, driver.getScreenshotAs(OutputType.BYTES));
    return out;
  }

  Object js(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a leftover temp dir is harmless
      }
    }
  }
}
