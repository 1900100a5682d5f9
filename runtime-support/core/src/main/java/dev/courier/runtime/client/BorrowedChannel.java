package dev.courier.runtime.client;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.util.concurrent.TimeUnit;

/**
 * A channel the caller built and still owns ({@link ClientBuilder#channel}): the client calls
 * through it, and its shutdown only stops this client's use; the caller shuts the channel itself
 * down. Thread-safe.
 */
final class BorrowedChannel extends ManagedChannel {
  private final ManagedChannel owned;
  private volatile boolean shutdown;

  BorrowedChannel(ManagedChannel owned) {
    this.owned = owned;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    return owned.newCall(method, options);
  }

  @Override
  public String authority() {
    return owned.authority();
  }

  @Override
  public ManagedChannel shutdown() {
    shutdown = true;
    return this;
  }

  @Override
  public boolean isShutdown() {
    return shutdown || owned.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return shutdown || owned.isTerminated();
  }

  @Override
  public ManagedChannel shutdownNow() {
    return shutdown();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }

  @Override
  public String toString() {
    return "borrowed " + owned;
  }
}
