package dev.courier.runtime.client;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several channels (so several connections, each served by its own Netty event loop) to one
 * endpoint behind one {@link ManagedChannel}: calls go to them in turn. Thread-safe.
 */
final class PooledChannel extends ManagedChannel {
  private final List<ManagedChannel> channels;
  private final AtomicInteger next = new AtomicInteger();

  PooledChannel(List<ManagedChannel> channels) {
    this.channels = List.copyOf(channels);
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    return channels.get(Math.floorMod(next.getAndIncrement(), channels.size())).newCall(method, options);
  }

  @Override
  public String authority() {
    return channels.get(0).authority();
  }

  @Override
  public ManagedChannel shutdown() {
    channels.forEach(ManagedChannel::shutdown);
    return this;
  }

  @Override
  public boolean isShutdown() {
    return channels.stream().allMatch(ManagedChannel::isShutdown);
  }

  @Override
  public boolean isTerminated() {
    return channels.stream().allMatch(ManagedChannel::isTerminated);
  }

  @Override
  public ManagedChannel shutdownNow() {
    channels.forEach(ManagedChannel::shutdownNow);
    return this;
  }

  @Override
  public void resetConnectBackoff() {
    channels.forEach(ManagedChannel::resetConnectBackoff);
  }

  @Override
  public void enterIdle() {
    channels.forEach(ManagedChannel::enterIdle);
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    for (ManagedChannel channel : channels) {
      if (!channel.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return true;
  }
}
