package dev.tokensink.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Unix domain socket transport ({@code tokensink.grpc.socket}) for the sidecar pattern.
 * Quarkus' gRPC server cannot listen on a Unix socket, so this is a plain grpc-java Netty server on
 * epoll that serves the same services behind the same caller check.
 *
 * <p>The socket is bound under a random temporary name, given its mode (and group) and only then
 * renamed to its path, so it is never reachable with a looser mode than configured. A socket left
 * by a crashed run is replaced; any other file at that path is refused.
 */
public final class SocketServer implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Server server;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Path path;

  private SocketServer(Server server, EventLoopGroup boss, EventLoopGroup workers, Path path) {
    this.server = server;
    this.boss = boss;
    this.workers = workers;
    this.path = path;
  }

  /**
   * Binds {@code socket} with {@code mode} (0600 or 0660) and optionally hands it to {@code group}.
   *
   * @throws IllegalStateException with a message saying what to fix (missing dir, occupied path, no
   *     epoll)
   */
  public static SocketServer start(
      Path socket,
      int mode,
      String group,
      List<BindableService> services,
      ServerInterceptor interceptor,
      int maxInboundBytes) {
    Path path = socket.toAbsolutePath().normalize();
    Path dir = path.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "tokensink.grpc.socket: the directory "
              + dir
              + " of "
              + path
              + " does not exist; create it (mode 0700, or 0750 for a group) or choose another path");
    }
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException(
          "tokensink.grpc.socket needs Linux with epoll (x86_64): " + Epoll.unavailabilityCause());
    }
    clearStale(path);
    Path tmp = dir.resolve("." + path.getFileName() + ".tmp-" + HexFormat.of().formatHex(bytes(6)));
    EventLoopGroup boss = new EpollEventLoopGroup(1, daemon("tokensink-uds-accept"));
    EventLoopGroup workers = new EpollEventLoopGroup(2, daemon("tokensink-uds"));
    NettyServerBuilder b =
        NettyServerBuilder.forAddress(new DomainSocketAddress(tmp.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            .maxInboundMessageSize(maxInboundBytes);
    for (BindableService s : services) {
      b.addService(ServerInterceptors.intercept(s, interceptor));
    }
    Server server = b.build();
    try {
      server.start();
      // chmod by name: a socket cannot be opened for fchmod; the temp name is ours and unguessable
      Files.setPosixFilePermissions(tmp, permissions(mode));
      if (group != null && !group.isBlank()) {
        GroupPrincipal g =
            tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
        Files.getFileAttributeView(tmp, PosixFileAttributeView.class).setGroup(g);
      }
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      server.shutdownNow();
      boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort: a temp name nobody connects to
      }
      throw new IllegalStateException(
          "tokensink.grpc.socket: cannot listen on "
              + path
              + ": "
              + (e instanceof AccessDeniedException
                  ? "permission denied"
                  : String.valueOf(e.getMessage())),
          e);
    }
    return new SocketServer(server, boss, workers, path);
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // a leftover socket is replaced at the next start
    }
  }

  private static void clearStale(Path path) {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    boolean socket;
    try {
      socket =
          Files.readAttributes(
                  path,
                  java.nio.file.attribute.BasicFileAttributes.class,
                  LinkOption.NOFOLLOW_LINKS)
              .isOther();
    } catch (IOException e) {
      socket = false;
    }
    if (!socket) {
      throw new IllegalStateException(
          "tokensink.grpc.socket: "
              + path
              + " exists and is not a socket;"
              + " remove it or choose another path");
    }
    try {
      Files.delete(
          path); // left by a previous run (a live service would hold the same path: one per path)
    } catch (IOException e) {
      throw new IllegalStateException(
          "tokensink.grpc.socket: cannot replace the old socket " + path + ": " + e.getMessage());
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> p =
        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    if ((mode & 0040) != 0) {
      p.add(PosixFilePermission.GROUP_READ);
    }
    if ((mode & 0020) != 0) {
      p.add(PosixFilePermission.GROUP_WRITE);
    }
    return p;
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
