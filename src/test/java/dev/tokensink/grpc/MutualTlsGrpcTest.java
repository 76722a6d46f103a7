package dev.tokensink.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.api.v1.CredentialBrokerGrpc;
import dev.tokensink.api.v1.CredentialBrokerGrpc.CredentialBrokerBlockingStub;
import dev.tokensink.api.v1.GetCredentialRequest;
import dev.tokensink.security.Audit;
import dev.tokensink.testing.LogLines;
import dev.tokensink.testing.MtlsProfile;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.netty.handler.ssl.SslContextBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * TLS and mutual TLS through Quarkus' gRPC server TLS configuration: a client certificate's subject
 * maps to a caller; no, an untrusted, an expired or an unknown certificate gets nothing.
 */
@QuarkusTest
@TestProfile(MtlsProfile.class)
class MutualTlsGrpcTest {
  @ConfigProperty(name = "test.tls-dir")
  Path tls;

  @ConfigProperty(name = "quarkus.grpc.server.test-port")
  int port;

  private <T> T withChannel(String clientCert, Function<CredentialBrokerBlockingStub, T> call)
      throws Exception {
    SslContextBuilder ssl =
        GrpcSslContexts.forClient().trustManager(tls.resolve("ca.crt").toFile());
    if (clientCert != null) {
      ssl.keyManager(
          tls.resolve(clientCert + ".crt").toFile(), tls.resolve(clientCert + ".key").toFile());
    }
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("localhost", port).sslContext(ssl.build()).build();
    try {
      return call.apply(
          CredentialBrokerGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static GetCredentialRequest get(String agent) {
    return GetCredentialRequest.newBuilder().setAgent(agent).setProvider("anthropic").build();
  }

  private Status.Code refused(String clientCert, String agent) throws Exception {
    return withChannel(
        clientCert,
        stub ->
            assertThrows(StatusRuntimeException.class, () -> stub.getCredential(get(agent)))
                .getStatus()
                .getCode());
  }

  @Test
  void clientCertificateSubject_isTheCaller_ofItsAgentsOnly() throws Exception {
    try (LogLines audit = LogLines.of(Audit.CATEGORY)) {
      assertEquals(
          "anthropic:work",
          withChannel("client0", stub -> stub.getCredential(get("main")).getProfileId()));
      assertTrue(
          audit
              .lines()
              .contains(
                  "rpc=GetCredential caller=edge agent=main provider=anthropic"
                      + " profile=anthropic:work result=OK"),
          audit.lines().toString());
    }
    assertEquals(Status.Code.PERMISSION_DENIED, refused("client0", "work"));
  }

  @Test
  void noClientCertificate_noToken_unauthenticated_butATokenOverTlsWorks() throws Exception {
    assertEquals(Status.Code.UNAUTHENTICATED, refused(null, "main"));
    Metadata md = new Metadata();
    md.put(CallerInterceptor.AUTHORIZATION, "Bearer " + MtlsProfile.TOKEN);
    assertEquals(
        "anthropic:default",
        withChannel(
            null,
            stub ->
                stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                    .getCredential(get("work"))
                    .getProfileId()));
  }

  @Test
  void certificateOfAnUnknownSubject_unauthenticated() throws Exception {
    StatusRuntimeException e =
        withChannel(
            "client1",
            stub ->
                assertThrows(StatusRuntimeException.class, () -> stub.getCredential(get("main"))));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    assertTrue(
        e.getStatus()
            .getDescription()
            .contains("CN=stranger,O=tokensink-test is not a configured caller"),
        e.getStatus().getDescription());
  }

  /**
   * Both carry edge's subject. The client offers the rogue one to nobody (its issuer is not among
   * the CAs the server asks for), so the call has no credentials; the expired one fails the
   * handshake.
   */
  @Test
  void untrustedOrExpiredCertificate_withTheCallersSubject_refused() throws Exception {
    StatusRuntimeException rogue =
        withChannel(
            "rogue",
            stub ->
                assertThrows(StatusRuntimeException.class, () -> stub.getCredential(get("main"))));
    assertEquals(Status.Code.UNAUTHENTICATED, rogue.getStatus().getCode());
    assertTrue(
        rogue.getStatus().getDescription().startsWith("no credentials"),
        rogue.getStatus().getDescription());
    assertEquals(Status.Code.UNAVAILABLE, refused("expired", "main"));
  }

  @Test
  void plainTextClient_refused() throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("localhost", port).usePlaintext().build();
    try {
      assertEquals(
          Status.Code.UNAVAILABLE,
          assertThrows(
                  StatusRuntimeException.class,
                  () ->
                      CredentialBrokerGrpc.newBlockingStub(channel)
                          .withDeadlineAfter(20, TimeUnit.SECONDS)
                          .getCredential(get("main")))
              .getStatus()
              .getCode());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
