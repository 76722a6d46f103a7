package dev.tokensink.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tokensink.security.Callers;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The peer rules of {@link CallerInterceptor} without configured callers, on real TCP connections:
 * loopback peers are served, a peer on another address only with the explicit insecure flag. The
 * service behind it answers with the caller the interceptor established.
 */
class CallerInterceptorTest {
  private static final MethodDescriptor.Marshaller<String> UTF8 =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
          return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };
  private static final MethodDescriptor<String, String> WHO =
      MethodDescriptor.<String, String>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("test.Who/Am")
          .setRequestMarshaller(UTF8)
          .setResponseMarshaller(UTF8)
          .build();

  private static String whoAmI(InetAddress bind, boolean insecure) throws Exception {
    ServerServiceDefinition who =
        ServerServiceDefinition.builder("test.Who")
            .addMethod(
                WHO,
                ServerCalls.asyncUnaryCall(
                    (req, out) -> {
                      out.onNext(CallerContext.current().id());
                      out.onCompleted();
                    }))
            .build();
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(bind, 0))
            .addService(
                ServerInterceptors.intercept(
                    who,
                    new CallerInterceptor(
                        Callers.none(), insecure, CallerInterceptor.Transport.TCP)))
            .build()
            .start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(new InetSocketAddress(bind, server.getPort()))
            .usePlaintext()
            .build();
    try {
      return ClientCalls.blockingUnaryCall(
          channel, WHO, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static InetAddress nonLoopback() throws Exception {
    for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (n.isUp() && !n.isLoopback()) {
        for (InetAddress a : Collections.list(n.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            return a;
          }
        }
      }
    }
    return null;
  }

  @Test
  void noCallersConfigured_loopbackPeerServed() throws Exception {
    assertEquals("loopback", whoAmI(InetAddress.getLoopbackAddress(), false));
  }

  @Test
  void noCallersConfigured_peerOnAnotherAddress_unauthenticated_unlessInsecure() throws Exception {
    InetAddress other = nonLoopback();
    assumeTrue(other != null, "this host has no non-loopback IPv4 address");
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> whoAmI(other, false));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    assertEquals(
        "only loopback callers are served while no callers are configured (tokensink.callers)",
        e.getStatus().getDescription());
    assertEquals("insecure-network", whoAmI(other, true));
  }
}
