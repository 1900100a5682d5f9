package dev.courier.runtime.server;

import com.google.protobuf.StringValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
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

  static void close(ManagedChannel channel) {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
