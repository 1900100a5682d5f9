package dev.courier.runtime.client;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * A call that fails as it starts, with a given status and empty trailers, and reaches no server:
 * for a stream whose deadline passed before it could start. Everything else it is asked is ignored.
 */
final class FailedCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {
  private final Status status;

  FailedCall(Status status) {
    this.status = status;
  }

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    listener.onClose(status, new Metadata());
  }

  @Override
  public void request(int numMessages) {}

  @Override
  public void cancel(String message, Throwable cause) {}

  @Override
  public void halfClose() {}

  @Override
  public void sendMessage(ReqT message) {}
}
