package dev.courier.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** A one-method service {@code test.Svc/Call} (StringValue in and out) for server tests. */
final class TestServices {
  static final String SERVICE = "test.Svc";

  private TestServices() {}

  static MethodDescriptor<StringValue, StringValue> descriptor(String name) {
    return MethodDescriptor.<StringValue, StringValue>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .build();
  }

  /** {@code test.Svc/Call}, idempotent, with {@code maxConcurrency} (0 for none). */
  static RpcMethod<StringValue, StringValue> call(int maxConcurrency) {
    return RpcMethod.of(descriptor("Call"),
        MethodPolicy.builder().idempotent(true).maxConcurrency(maxConcurrency).build());
  }

  static ServerServiceDefinition service(
      RpcMethod<StringValue, StringValue> method, ServiceBindings.UnaryHandler<StringValue, StringValue> handler) {
    return ServerServiceDefinition.builder(SERVICE).addMethod(ServiceBindings.unary(method, handler)).build();
  }

  static ManagedChannel plaintextChannel(CourierServer server) {
    return NettyChannelBuilder.forTarget(server.target()).usePlaintext().build();
  }

  /**
   * {@code calls} ordinary {@code test.Svc/Call} calls (an echo) from 8 threads over a new grpc-java
   * channel, each within 10 s; fails unless every one succeeds. Returns {@code calls}.
   */
  static int assertAllSucceed(CourierServer server, int calls) throws Exception {
    ManagedChannel channel = plaintextChannel(server);
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<StringValue>> answers = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        String value = "ok-" + i;
        answers.add(clients.submit(() -> ClientCalls.blockingUnaryCall(channel, call(0).descriptor(),
            CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), StringValue.of(value))));
      }
      for (int i = 0; i < calls; i++) {
        assertThat(answers.get(i).get(20, TimeUnit.SECONDS).getValue()).isEqualTo("ok-" + i);
      }
      return calls;
    } finally {
      clients.shutdownNow();
      close(channel);
    }
  }

  static void close(ManagedChannel channel) {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
