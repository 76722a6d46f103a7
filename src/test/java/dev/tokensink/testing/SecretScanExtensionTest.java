package dev.tokensink.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The suite-wide secret scan is active and catches a registered secret in a message or an
 * exception.
 */
class SecretScanExtensionTest {
  private static final Logger LOG = Logger.getLogger(SecretScanExtensionTest.class);

  @Test
  void extensionIsAutodetected_itsHandlerSeesTheRootLogger() {
    assertTrue(
        Arrays.stream(java.util.logging.Logger.getLogger("").getHandlers())
            .anyMatch(h -> h instanceof SecretScanExtension.Capture),
        "SecretScanExtension is not registered suite-wide");
  }

  @Test
  void registeredSecretInALogMessage_failsTheScan_withoutPrintingIt() {
    String secret = "sk-scan-selftest-" + System.nanoTime();
    Secrets.register(secret);
    LOG.infof("refreshed with %s", secret);
    AssertionError e = assertThrows(AssertionError.class, SecretScanExtension::scan);
    assertTrue(e.getMessage().contains("refreshed with <SECRET>"), e.getMessage());
    assertFalse(e.getMessage().contains(secret));
  }

  @Test
  void registeredSecretInAnExceptionMessage_failsTheScan() {
    String secret = "rt_scan_selftest_" + System.nanoTime();
    Secrets.register(secret);
    LOG.warn("refresh failed", new IllegalStateException("bad token " + secret));
    assertThrows(AssertionError.class, SecretScanExtension::scan);
  }

  @Test
  void maskedSecret_passes() {
    String secret = "sk-ant-api03-scan-selftest-masked-" + System.nanoTime();
    Secrets.register(secret);
    LOG.infof("serving %s", dev.tokensink.model.Secret.of(secret));
    SecretScanExtension.scan();
  }
}
