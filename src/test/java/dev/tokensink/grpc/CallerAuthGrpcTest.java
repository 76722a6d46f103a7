package dev.tokensink.grpc;

import static dev.tokensink.testing.CallersProfile.TOKEN_MAIN;
import static dev.tokensink.testing.CallersProfile.TOKEN_RETIRED;
import static dev.tokensink.testing.CallersProfile.TOKEN_WORK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensink.api.v1.Credential;
import dev.tokensink.api.v1.CredentialBrokerGrpc;
import dev.tokensink.api.v1.CredentialBrokerGrpc.CredentialBrokerBlockingStub;
import dev.tokensink.api.v1.ExpiryEvent;
import dev.tokensink.api.v1.GetCredentialRequest;
import dev.tokensink.api.v1.Outcome;
import dev.tokensink.api.v1.ReportOutcomeRequest;
import dev.tokensink.api.v1.StreamExpiryEventsRequest;
import dev.tokensink.config.Settings;
import dev.tokensink.security.Audit;
import dev.tokensink.testing.CallersProfile;
import dev.tokensink.testing.LogLines;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Who may call (docs/security.md), over gRPC against the real service with two configured callers:
 * tokens, per-agent authorization, filtered event streams, stream limits, audit lines, request
 * bounds, and the Unix socket.
 */
@QuarkusTest
@TestProfile(CallersProfile.class)
class CallerAuthGrpcTest {
  @GrpcClient("broker")
  CredentialBrokerBlockingStub anonymous;

  @Inject Settings settings;

  private CredentialBrokerBlockingStub as(String token) {
    return withAuthorization(anonymous, "Bearer " + token);
  }

  private static CredentialBrokerBlockingStub withAuthorization(
      CredentialBrokerBlockingStub stub, String value) {
    Metadata md = new Metadata();
    md.put(CallerInterceptor.AUTHORIZATION, value);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
        .withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private static GetCredentialRequest get(String agent, String provider) {
    return GetCredentialRequest.newBuilder().setAgent(agent).setProvider(provider).build();
  }

  private static Status.Code code(Runnable call) {
    return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
  }

  private static StatusRuntimeException failure(Runnable call) {
    return assertThrows(StatusRuntimeException.class, call::run);
  }

  @Test
  void noToken_unauthenticated_evenFromLoopback() {
    StatusRuntimeException e = failure(() -> anonymous.getCredential(get("main", "anthropic")));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("Bearer"), e.getStatus().getDescription());
  }

  @Test
  void wrongToken_orMalformedHeader_unauthenticated() {
    assertEquals(
        Status.Code.UNAUTHENTICATED,
        code(() -> as(TOKEN_MAIN + "x").getCredential(get("main", "anthropic"))));
    assertEquals(
        Status.Code.UNAUTHENTICATED,
        code(
            () ->
                withAuthorization(anonymous, "Basic " + TOKEN_MAIN)
                    .getCredential(get("main", "anthropic"))));
    assertEquals(
        Status.Code.UNAUTHENTICATED,
        code(
            () -> withAuthorization(anonymous, "Bearer ").getCredential(get("main", "anthropic"))));
  }

  @Test
  void removedCallersToken_unauthenticated() {
    StatusRuntimeException e =
        failure(() -> as(TOKEN_RETIRED).getCredential(get("main", "anthropic")));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("revoked"), e.getStatus().getDescription());
  }

  @Test
  void callersToken_servesItsOwnAgents() {
    Credential c = as(TOKEN_MAIN).getCredential(get("main", "anthropic"));
    assertEquals("anthropic:work", c.getProfileId());
    assertTrue(c.getSecret().startsWith("sk-ant-oat01-FIXTURE-main-work"));
    assertEquals(
        "anthropic:default", as(TOKEN_WORK).getCredential(get("work", "anthropic")).getProfileId());
    // the empty agent is the default agent, main
    assertEquals(
        "anthropic:work", as(TOKEN_MAIN).getCredential(get("", "anthropic")).getProfileId());
  }

  @Test
  void tokenForAnotherAgent_permissionDenied_whetherOrNotTheAgentExists() {
    StatusRuntimeException e =
        failure(() -> as(TOKEN_WORK).getCredential(get("main", "anthropic")));
    assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
    assertTrue(
        e.getStatus().getDescription().contains("worker-work may not use agent main"),
        e.getStatus().getDescription());
    assertEquals(
        Status.Code.PERMISSION_DENIED,
        code(() -> as(TOKEN_WORK).getCredential(get("", "anthropic"))));
    assertEquals(
        Status.Code.PERMISSION_DENIED,
        code(() -> as(TOKEN_WORK).getCredential(get("nosuchagent", "anthropic"))));
  }

  @Test
  void reportOutcomeForAnotherAgent_permissionDenied_stateUntouched() throws Exception {
    // the fixture keeps main's usage state inside auth-profiles.json (older single-file layout)
    Path profiles = settings.stateDir().resolve("agents/main/agent/auth-profiles.json");
    Path state = profiles.resolveSibling("auth-state.json");
    byte[] before = Files.readAllBytes(profiles);
    boolean stateBefore = Files.exists(state);
    ReportOutcomeRequest r =
        ReportOutcomeRequest.newBuilder()
            .setAgent("main")
            .setProfileId("anthropic:work")
            .setOutcome(Outcome.RATE_LIMITED)
            .build();
    assertEquals(Status.Code.PERMISSION_DENIED, code(() -> as(TOKEN_WORK).reportOutcome(r)));
    assertEquals(Status.Code.UNAUTHENTICATED, code(() -> anonymous.reportOutcome(r)));
    assertArrayEquals(before, Files.readAllBytes(profiles));
    assertEquals(stateBefore, Files.exists(state));
    assertEquals(
        "anthropic:work",
        as(TOKEN_MAIN).getCredential(get("main", "anthropic")).getProfileId(),
        "no cooldown was recorded");
  }

  @Test
  void eventStream_showsOnlyTheCallersAgents() {
    // On subscribe the stream replays current state: main has openrouter:team in cooldown, work an
    // expired custom token. worker-work must see its own agent only.
    List<ExpiryEvent> work =
        firstEvents(as(TOKEN_WORK), StreamExpiryEventsRequest.getDefaultInstance(), 1);
    assertFalse(work.isEmpty());
    assertTrue(work.stream().allMatch(e -> e.getAgent().equals("work")), work.toString());
    List<ExpiryEvent> main =
        firstEvents(as(TOKEN_MAIN), StreamExpiryEventsRequest.getDefaultInstance(), 1);
    assertTrue(main.stream().allMatch(e -> e.getAgent().equals("main")), main.toString());
    assertEquals(
        Status.Code.PERMISSION_DENIED,
        code(
            () ->
                firstEvents(
                    as(TOKEN_MAIN),
                    StreamExpiryEventsRequest.newBuilder().setAgent("work").build(),
                    1)));
  }

  @Test
  void eventStreams_perCallerLimit_resourceExhausted_untilOneCloses() throws Exception {
    Context.CancellableContext first = Context.current().withCancellation();
    Context.CancellableContext second = Context.current().withCancellation();
    try {
      Iterator<ExpiryEvent> a = first.call(() -> openStream(as(TOKEN_MAIN)));
      Iterator<ExpiryEvent> b = second.call(() -> openStream(as(TOKEN_MAIN)));
      a.next();
      b.next();
      StatusRuntimeException e = failure(() -> openStream(as(TOKEN_MAIN)).next());
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
      assertTrue(
          e.getStatus().getDescription().contains("max-streams-per-caller"),
          e.getStatus().getDescription());
      // another caller has its own budget
      assertEquals("work", openStream(as(TOKEN_WORK)).next().getAgent());
      first.cancel(null);
      assertEquals(
          "main",
          eventually(
              () -> {
                Context.CancellableContext third = Context.current().withCancellation();
                try {
                  return third.call(() -> openStream(as(TOKEN_MAIN)).next().getAgent());
                } catch (Exception ex) {
                  throw ex instanceof RuntimeException r ? r : new RuntimeException(ex);
                } finally {
                  third.cancel(null);
                }
              }));
    } finally {
      first.cancel(null);
      second.cancel(null);
    }
  }

  @Test
  void auditLines_perCredentialAndRefusal_neverTheSecret() {
    try (LogLines audit = LogLines.of(Audit.CATEGORY)) {
      // a profile no other test here asks for, so this caller receives it for the first time
      GetCredentialRequest pinned =
          get("main", "openrouter").toBuilder().setProfileOverride("openrouter:default").build();
      Credential c = as(TOKEN_MAIN).getCredential(pinned);
      // the same cached credential to the same caller again: counted in metrics, not a second line
      assertEquals(c.getSecret(), as(TOKEN_MAIN).getCredential(pinned).getSecret());
      code(() -> as(TOKEN_WORK).getCredential(get("main", "anthropic")));
      code(() -> anonymous.getCredential(get("main", "anthropic")));
      List<String> lines = audit.lines();
      assertEquals(
          1,
          lines.stream()
              .filter(
                  ("rpc=GetCredential caller=worker-main agent=main provider=openrouter"
                          + " profile=openrouter:default result=OK")
                      ::equals)
              .count(),
          lines.toString());
      assertTrue(
          lines.contains(
              "rpc=GetCredential caller=worker-work agent=main provider=anthropic"
                  + " result=PERMISSION_DENIED"),
          lines.toString());
      assertTrue(
          lines.stream()
              .anyMatch(
                  l ->
                      l.startsWith("rpc=GetCredential caller=-")
                          && l.endsWith("result=UNAUTHENTICATED")),
          lines.toString());
      assertTrue(
          lines.stream()
              .noneMatch(
                  l ->
                      l.contains(c.getSecret())
                          || l.contains(TOKEN_MAIN)
                          || l.contains(TOKEN_WORK)),
          lines.toString());
    }
  }

  @Test
  void reportOutcome_auditedAsACall_andItsCooldownAsAChange() {
    try (LogLines audit = LogLines.of(Audit.CATEGORY)) {
      as(TOKEN_MAIN)
          .reportOutcome(
              ReportOutcomeRequest.newBuilder()
                  .setAgent("main")
                  .setProfileId("anthropic:default")
                  .setOutcome(Outcome.OVERLOADED)
                  .build());
      assertTrue(
          audit
              .lines()
              .contains(
                  "rpc=ReportOutcome caller=worker-main agent=main profile=anthropic:default"
                      + " reason=\"outcome OVERLOADED\" result=OK"),
          audit.lines().toString());
      String change =
          "rpc=Event caller=tokensink agent=main provider=anthropic profile=anthropic:default"
              + " result=COOLDOWN_STARTED";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!audit.lines().contains(change) && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // delivered by the event hub's own threads
      }
      assertTrue(audit.lines().contains(change), audit.lines().toString());
    }
  }

  @Test
  void stateFileReplacedBySymlinkToEtcPasswd_failedPrecondition_nothingOfItServed()
      throws Exception {
    Path dir = Files.createDirectories(settings.stateDir().resolve("agents/linked/agent"));
    Path link = Files.createSymbolicLink(dir.resolve("auth-profiles.json"), Path.of("/etc/passwd"));
    StatusRuntimeException e =
        overSocket(uds -> failure(() -> uds.getCredential(get("linked", "anthropic"))));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    assertTrue(
        e.getStatus()
            .getDescription()
            .startsWith(
                "agent linked cannot be served: agents/linked/agent/auth-profiles.json is a"
                    + " symbolic link"),
        e.getStatus().getDescription());
    assertFalse(
        e.getStatus().getDescription().contains(settings.stateDir().toString()),
        "no server path to a remote caller");
    assertFalse(e.getStatus().getDescription().contains("root:"));
    assertTrue(Files.isSymbolicLink(link));
  }

  @Test
  void oversizedFields_invalidArgument() {
    CredentialBrokerBlockingStub main = as(TOKEN_MAIN);
    String override = "anthropic:" + "w".repeat(503);
    StatusRuntimeException e =
        failure(
            () ->
                main.getCredential(
                    GetCredentialRequest.newBuilder()
                        .setAgent("main")
                        .setProvider("anthropic")
                        .setProfileOverride(override)
                        .build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(
        e.getStatus().getDescription().contains("profile_override is longer than 512 bytes"));
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        code(
            () ->
                main.getCredential(
                    GetCredentialRequest.newBuilder()
                        .setAgent("main")
                        .setProvider("anthropic")
                        .setModel("m".repeat(257))
                        .build())));
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        code(
            () ->
                main.getCredential(
                    GetCredentialRequest.newBuilder()
                        .setAgent("main")
                        .setProvider("anthropic")
                        .setSessionId("s".repeat(257))
                        .build())));
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        code(() -> main.getCredential(get("m".repeat(65), "anthropic"))));
    assertEquals(
        Status.Code.INVALID_ARGUMENT, code(() -> main.getCredential(get("main", "p".repeat(65)))));
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        code(
            () ->
                main.getCredential(
                    GetCredentialRequest.newBuilder()
                        .setAgent("main")
                        .setProvider("anthropic")
                        .setSessionId("s".repeat(1_000_000))
                        .build())));
    // a request beyond 2 MiB is cut off by the message size limit before it is parsed
    assertEquals(
        Status.Code.RESOURCE_EXHAUSTED,
        code(
            () ->
                main.getCredential(
                    GetCredentialRequest.newBuilder()
                        .setAgent("main")
                        .setProvider("anthropic")
                        .setSessionId("s".repeat(3_000_000))
                        .build())));
  }

  @Test
  void unixSocket_mode0600_servesLocalCallers_andHonoursTokens() throws Exception {
    Path socket = Path.of(settings.grpc().socket().orElseThrow());
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)));
    overSocket(
        uds -> {
          assertEquals(
              "anthropic:work", uds.getCredential(get("main", "anthropic")).getProfileId());
          assertEquals(
              "anthropic:default", uds.getCredential(get("work", "anthropic")).getProfileId());
          // a token still narrows the caller, and a wrong one is refused
          assertEquals(
              Status.Code.PERMISSION_DENIED,
              code(
                  () ->
                      withAuthorization(uds, "Bearer " + TOKEN_WORK)
                          .getCredential(get("main", "anthropic"))));
          assertEquals(
              Status.Code.UNAUTHENTICATED,
              code(
                  () ->
                      withAuthorization(uds, "Bearer " + TOKEN_RETIRED)
                          .getCredential(get("main", "anthropic"))));
          return null;
        });
  }

  /** Runs {@code call} with a grpc-java client connected over the service's Unix socket. */
  private <T> T overSocket(java.util.function.Function<CredentialBrokerBlockingStub, T> call)
      throws Exception {
    EpollEventLoopGroup group = new EpollEventLoopGroup(1);
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(
                new DomainSocketAddress(settings.grpc().socket().orElseThrow()))
            .channelType(EpollDomainSocketChannel.class)
            .eventLoopGroup(group)
            .usePlaintext()
            .build();
    try {
      return call.apply(
          CredentialBrokerGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  private static Iterator<ExpiryEvent> openStream(CredentialBrokerBlockingStub stub) {
    return stub.streamExpiryEvents(StreamExpiryEventsRequest.getDefaultInstance());
  }

  /**
   * The first {@code n} events of a stream (the replay of current state), then the stream is
   * cancelled.
   */
  private static List<ExpiryEvent> firstEvents(
      CredentialBrokerBlockingStub stub, StreamExpiryEventsRequest r, int n) {
    Context.CancellableContext ctx = Context.current().withCancellation();
    try {
      return ctx.call(
          () -> {
            Iterator<ExpiryEvent> it = stub.streamExpiryEvents(r);
            List<ExpiryEvent> out = new ArrayList<>();
            while (out.size() < n && it.hasNext()) {
              out.add(it.next());
            }
            return out;
          });
    } catch (StatusRuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      ctx.cancel(null);
    }
  }

  /** Retries until the service has processed a cancellation (it arrives asynchronously). */
  private static <T> T eventually(Supplier<T> call) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        return call.get();
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.onSpinWait();
      }
    }
  }
}
