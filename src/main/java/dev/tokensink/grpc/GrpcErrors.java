package dev.tokensink.grpc;

import dev.tokensink.broker.BrokerException;
import dev.tokensink.model.InvalidIdException;
import dev.tokensink.refresh.RefreshException;
import dev.tokensink.routing.RoutingException;
import dev.tokensink.store.StoreException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.jboss.logging.Logger;

/**
 * Maps domain failures to gRPC statuses. Messages are ours (never a secret); causes are not sent.
 */
final class GrpcErrors {
  private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

  private GrpcErrors() {}

  static StatusRuntimeException toStatus(Throwable t) {
    if (t instanceof StatusRuntimeException s) {
      return s;
    }
    if (t instanceof BrokerException b) {
      return status(b.code()).withDescription(b.getMessage()).asRuntimeException();
    }
    if (t instanceof RefreshException r) {
      Status st =
          switch (r.kind()) {
            case REAUTH_REQUIRED -> Status.FAILED_PRECONDITION;
            case NOT_FOUND -> Status.NOT_FOUND;
            default -> Status.UNAVAILABLE;
          };
      return st.withDescription(r.getMessage()).asRuntimeException();
    }
    if (t instanceof RoutingException r) {
      return Status.fromCode(Status.Code.valueOf(r.kind().name()))
          .withDescription(r.getMessage())
          .asRuntimeException();
    }
    if (t instanceof InvalidIdException e) {
      return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    if (t instanceof StoreException.LockTimeout e) {
      return Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException();
    }
    if (t instanceof StoreException e) {
      // names the agent and the reason, paths relative to the state dir: no server path leaves
      return Status.FAILED_PRECONDITION.withDescription(e.forCaller()).asRuntimeException();
    }
    LOG.errorf("unexpected failure: %s", t.getClass().getName());
    return Status.INTERNAL
        .withDescription("internal error; see the tokensink log")
        .asRuntimeException();
  }

  private static Status status(BrokerException.Code code) {
    return switch (code) {
      case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
      case NOT_FOUND -> Status.NOT_FOUND;
      case UNAVAILABLE -> Status.UNAVAILABLE;
      case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
      case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
      case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
      case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
      case INTERNAL -> Status.INTERNAL;
    };
  }
}
