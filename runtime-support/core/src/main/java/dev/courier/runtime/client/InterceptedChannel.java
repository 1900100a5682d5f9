package dev.courier.runtime.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ManagedChannel} whose calls go through client interceptors, the first given running
 * first (it sees the call before the others and its listener hears the answer last), and whose
 * life cycle (shutdown, state, connect backoff) is the wrapped channel's. Whatever channel a
 * {@link ChannelFactory} makes, the client wraps it so: the interceptors apply to plaintext, TLS,
 * pooled and custom channels alike. Thread-safe, as the wrapped channel and the interceptors are.
 */
final class InterceptedChannel extends ManagedChannel {
  private final ManagedChannel delegate;
  private final Channel intercepted;

  private InterceptedChannel(ManagedChannel delegate, List<ClientInterceptor> interceptors) {
    this.delegate = delegate;
    // grpc runs the last interceptor of its list first; Courier runs the first given first.
    List<ClientInterceptor> reversed = new ArrayList<>(interceptors);
    Collections.reverse(reversed);
    this.intercepted = ClientInterceptors.intercept(delegate, reversed);
  }

  /** {@code base}, with every channel it makes wrapped in {@code interceptors}; {@code base} itself when there are none. */
  static ChannelFactory over(ChannelFactory base, List<ClientInterceptor> interceptors) {
    if (interceptors.isEmpty()) {
      return base;
    }
    List<ClientInterceptor> frozen = List.copyOf(interceptors);
    return endpoint -> new InterceptedChannel(base.create(endpoint), frozen);
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    return intercepted.newCall(method, options);
  }

  @Override
  public String authority() {
    return delegate.authority();
  }

  @Override
  public ManagedChannel shutdown() {
    delegate.shutdown();
    return this;
  }

  @Override
  public boolean isShutdown() {
    return delegate.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return delegate.isTerminated();
  }

  @Override
  public ManagedChannel shutdownNow() {
    delegate.shutdownNow();
    return this;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return delegate.awaitTermination(timeout, unit);
  }

  @Override
  public ConnectivityState getState(boolean requestConnection) {
    return delegate.getState(requestConnection);
  }

  @Override
  public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
    delegate.notifyWhenStateChanged(source, callback);
  }

  @Override
  public void resetConnectBackoff() {
    delegate.resetConnectBackoff();
  }

  @Override
  public void enterIdle() {
    delegate.enterIdle();
  }
}
