package dev.tokensink.grpc;

import dev.tokensink.security.Caller;
import io.grpc.Context;
import io.grpc.Status;

/**
 * The caller of the current RPC, set by {@link CallerInterceptor} before the service method runs.
 */
public final class CallerContext {
  static final Context.Key<Caller> KEY = Context.key("tokensink-caller");

  private CallerContext() {}

  /**
   * The caller; fails closed when no interceptor established one (a wiring error, never a pass).
   */
  static Caller current() {
    Caller c = KEY.get();
    if (c == null) {
      throw Status.UNAUTHENTICATED
          .withDescription("the caller could not be established; see the tokensink log")
          .asRuntimeException();
    }
    return c;
  }
}
