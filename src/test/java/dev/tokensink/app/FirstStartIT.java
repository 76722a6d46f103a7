package dev.tokensink.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.api.v1.GetCredentialRequest;
import dev.tokensink.testing.ReplicaProcess;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command on a fresh machine: {@code serve} (the packaged jar) with a state dir
 * that does not exist yet creates it 0700, turns ready, and answers a request for a credential it
 * does not hold with NOT_FOUND naming the command to run.
 */
class FirstStartIT {
  @TempDir Path home;

  @Test
  void missingStateDir_createdPrivate_serviceReady_notFoundNamesTheNextCommand() throws Exception {
    Path state = home.resolve(".tokensink");
    try (ReplicaProcess service =
        ReplicaProcess.start("first-start", Map.of("tokensink.state-dir", state.toString()))) {
      service.awaitReadiness(200, Duration.ofSeconds(60));
      assertTrue(Files.isDirectory(state), service.log());
      assertEquals(
          "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  service
                      .broker()
                      .withDeadlineAfter(10, TimeUnit.SECONDS)
                      .getCredential(
                          GetCredentialRequest.newBuilder()
                              .setAgent("main")
                              .setProvider("anthropic")
                              .build()));
      assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
      assertTrue(
          e.getStatus().getDescription().contains("tokensink "), e.getStatus().getDescription());
    }
  }
}
