package dev.tokensink.bench;

import dev.tokensink.api.v1.Credential;
import dev.tokensink.api.v1.CredentialBrokerGrpc;
import dev.tokensink.api.v1.GetCredentialRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bench process (not a test): GetCredential throughput for one agent against a random agent among
 * many, on one HTTP/2 connection with a fixed number of calls outstanding.
 *
 * <p>{@code ScaleClient GRPC_PORT AGENTS PROVIDER SECONDS PAIRS STREAMS}: after a warm-up, runs
 * PAIRS alternating pairs of SECONDS-long runs (one agent {@code agent-0000}, then a uniformly
 * random {@code agent-NNNN} per call) and prints {@code RESULT key value} lines: the per-run rates
 * and the median of the per-pair ratios random ÷ one. Every answer is checked (a failed call ends
 * the run with an error).
 */
public final class ScaleClient {
  private ScaleClient() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int agents = Integer.parseInt(args[1]);
    String provider = args[2];
    double seconds = Double.parseDouble(args[3]);
    int pairs = Integer.parseInt(args[4]);
    int streams = Integer.parseInt(args[5]);
    ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      CredentialBrokerGrpc.CredentialBrokerStub stub = CredentialBrokerGrpc.newStub(ch);
      GetCredentialRequest[] one = {request("agent-0000", provider)};
      GetCredentialRequest[] all = new GetCredentialRequest[agents];
      for (int i = 0; i < agents; i++) {
        all[i] = request(String.format("agent-%04d", i), provider);
      }
      run(stub, all, 4, streams); // warm-up: JIT and every agent once
      run(stub, one, 2, streams);
      double[] ratios = new double[pairs];
      StringBuilder rates = new StringBuilder();
      for (int p = 0; p < pairs; p++) {
        double r1;
        double rN;
        if (p % 2 == 0) {
          r1 = run(stub, one, seconds, streams);
          rN = run(stub, all, seconds, streams);
        } else {
          rN = run(stub, all, seconds, streams);
          r1 = run(stub, one, seconds, streams);
        }
        ratios[p] = rN / r1;
        rates.append(p == 0 ? "" : ",").append(Math.round(r1)).append('/').append(Math.round(rN));
      }
      Arrays.sort(ratios);
      System.out.println("RESULT scale_rps_one_vs_random " + rates);
      System.out.println(
          "RESULT scale_random_over_one " + String.format("%.3f", ratios[pairs / 2]));
    } finally {
      ch.shutdownNow();
      ch.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static GetCredentialRequest request(String agent, String provider) {
    return GetCredentialRequest.newBuilder().setAgent(agent).setProvider(provider).build();
  }

  /** Calls per second over {@code seconds}, {@code streams} calls outstanding at any time. */
  private static double run(
      CredentialBrokerGrpc.CredentialBrokerStub stub,
      GetCredentialRequest[] requests,
      double seconds,
      int streams)
      throws InterruptedException {
    Semaphore window = new Semaphore(streams);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    SplittableRandom random = new SplittableRandom(7);
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      window.acquire();
      GetCredentialRequest r =
          requests.length == 1 ? requests[0] : requests[random.nextInt(requests.length)];
      stub.getCredential(
          r,
          new StreamObserver<Credential>() {
            @Override
            public void onNext(Credential c) {
              ok.incrementAndGet();
            }

            @Override
            public void onError(Throwable t) {
              failed.incrementAndGet();
              window.release();
            }

            @Override
            public void onCompleted() {
              window.release();
            }
          });
    }
    window.acquire(streams);
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " GetCredential calls failed");
    }
    return ok.get() / elapsed;
  }
}
