package dev.tokensink.cli;

import dev.tokensink.api.v1.Credential;
import dev.tokensink.api.v1.CredentialBrokerGrpc;
import dev.tokensink.api.v1.GetCredentialRequest;
import dev.tokensink.config.Settings;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC channel from the CLI to the running service, over TCP or its Unix socket, carrying the
 * caller token when one is given. For commands that must go through the service (its callers,
 * permissions and audit) rather than read the store.
 */
final class ServiceChannel implements AutoCloseable {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel channel;
  private final EventLoopGroup group;
  private final CredentialBrokerGrpc.CredentialBrokerBlockingStub stub;
  private final String address;
  private final java.time.Duration deadline;

  private ServiceChannel(
      ManagedChannel channel,
      EventLoopGroup group,
      String token,
      String address,
      java.time.Duration deadline) {
    this.deadline = deadline;
    this.channel = channel;
    this.group = group;
    this.address = address;
    CredentialBrokerGrpc.CredentialBrokerBlockingStub s =
        CredentialBrokerGrpc.newBlockingStub(channel);
    if (token != null && !token.isBlank()) {
      Metadata m = new Metadata();
      m.put(AUTHORIZATION, "Bearer " + token.trim());
      s = s.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m));
    }
    this.stub = s;
  }

  /**
   * The configured socket when there is one (no network, file mode as access control), else TCP.
   */
  static String defaultAddress(Settings settings) {
    String socket = settings.grpc().socket().orElse("");
    if (!socket.isBlank()) {
      return "unix:" + socket;
    }
    return settings.grpc().host() + ":" + settings.grpc().port();
  }

  /**
   * @param address {@code host:port} or {@code unix:/path}
   * @throws IllegalArgumentException for an address of neither form
   */
  static ServiceChannel open(String address, String token, java.time.Duration deadline) {
    if (address.startsWith("unix:")) {
      EventLoopGroup group = new EpollEventLoopGroup(1);
      ManagedChannel ch =
          NettyChannelBuilder.forAddress(new DomainSocketAddress(address.substring(5)))
              .channelType(EpollDomainSocketChannel.class)
              .eventLoopGroup(group)
              .usePlaintext()
              .build();
      return new ServiceChannel(ch, group, token, address, deadline);
    }
    int colon = address.lastIndexOf(':');
    int port;
    try {
      port = colon < 0 ? -1 : Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (colon <= 0 || port <= 0 || port > 65535) {
      throw new IllegalArgumentException(
          "'" + address + "' is neither host:port nor unix:/path/to/socket");
    }
    ManagedChannel ch =
        NettyChannelBuilder.forAddress(address.substring(0, colon), port).usePlaintext().build();
    return new ServiceChannel(ch, null, token, address, deadline);
  }

  Credential getCredential(GetCredentialRequest r) {
    return stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).getCredential(r);
  }

  String address() {
    return address;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    if (group != null) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
  }
}
