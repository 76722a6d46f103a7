package dev.tokensink.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.security.Callers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up failures of the Unix socket transport; serving over it is in CallerAuthGrpcTest. */
class SocketServerTest {
  @TempDir Path dir;

  private static SocketServer start(Path socket) {
    return SocketServer.start(
        socket,
        0600,
        null,
        List.of(),
        new CallerInterceptor(Callers.none(), false, CallerInterceptor.Transport.SOCKET),
        65536);
  }

  @Test
  void socketInMissingDir_clearErrorNamingTheDir_nothingCreated() {
    Path socket = dir.resolve("no/such/dir/tokensink.sock");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> start(socket));
    assertEquals(
        "tokensink.grpc.socket: the directory "
            + socket.getParent()
            + " of "
            + socket
            + " does not exist; create it (mode 0700, or 0750 for a group) or choose another path",
        e.getMessage());
    assertFalse(Files.exists(dir.resolve("no")));
  }

  @Test
  void regularFileAtTheSocketPath_refused_fileUntouched() throws Exception {
    Path socket = dir.resolve("tokensink.sock");
    Files.writeString(socket, "not a socket");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> start(socket));
    assertTrue(e.getMessage().contains("exists and is not a socket"), e.getMessage());
    assertEquals("not a socket", Files.readString(socket));
  }

  @Test
  void groupMode0660_setBeforeTheSocketIsReachable() throws Exception {
    Path socket = dir.resolve("group.sock");
    try (SocketServer s =
        SocketServer.start(
            socket,
            0660,
            null,
            List.of(),
            new CallerInterceptor(Callers.none(), false, CallerInterceptor.Transport.SOCKET),
            65536)) {
      assertEquals(
          "rw-rw----",
          java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)));
    }
  }

  @Test
  void staleSocketOfACrashedRun_replaced_andRemovedOnClose() throws Exception {
    Path socket = dir.resolve("tokensink.sock");
    SocketServer first = start(socket);
    // simulate a crash: the file stays, the server is gone without cleaning up
    Path kept = dir.resolve("kept.sock");
    Files.createLink(kept, socket);
    first.close();
    Files.move(kept, socket);
    try (SocketServer second = start(socket)) {
      assertTrue(Files.exists(socket));
      try (var files = Files.list(dir)) {
        assertEquals(List.of(socket), files.toList(), "no temp socket names left");
      }
    }
    assertFalse(Files.exists(socket));
  }
}
