package dev.courier.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.StringValue;
import com.google.protobuf.WrappersProto;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.ProtoSchema;
import dev.courier.runtime.RpcMethod;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Courier server answers gRPC's health and reflection services, checked with grpc-java's own
 * clients for them, so that standard tools can list, describe and call it.
 */
class StandardServicesTest {
  private static final FileDescriptor FILE = file();
  private static final RpcMethod<StringValue, StringValue> ECHO = RpcMethod.of(
      MethodDescriptor.<StringValue, StringValue>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("std.Echo/Say")
          .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .setSchemaDescriptor(ProtoSchema.method(() -> FILE, "Echo", "Say"))
          .build(),
      MethodPolicy.DEFAULT);

  private CourierServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() {
    ServiceDescriptor descriptor = ServiceDescriptor.newBuilder("std.Echo")
        .setSchemaDescriptor(ProtoSchema.service(() -> FILE, "Echo"))
        .addMethod(ECHO.descriptor())
        .build();
    server = CourierServer.builder()
        .address("127.0.0.1", 0)
        .addService(ServerServiceDefinition.builder(descriptor).addMethod(ServiceBindings.unary(ECHO, r -> r)).build())
        .start();
    channel = NettyChannelBuilder.forTarget(server.target()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  @Test
  void healthServiceAnswersServingForTheServerAndEachService() {
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
    assertThat(health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThat(health.check(HealthCheckRequest.newBuilder().setService("std.Echo").build()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void healthFollowsWhatTheApplicationSets() {
    server.health().orElseThrow().setStatus("std.Echo", ServingStatus.NOT_SERVING);
    assertThat(HealthGrpc.newBlockingStub(channel)
        .check(HealthCheckRequest.newBuilder().setService("std.Echo").build()).getStatus())
        .isEqualTo(ServingStatus.NOT_SERVING);
  }

  @Test
  void reflectionListsServicesAndDescribesThemFromTheProtoSchema() throws Exception {
    ServerReflectionResponse list = reflect(ServerReflectionRequest.newBuilder().setListServices("*").build());
    assertThat(list.getListServicesResponse().getServiceList())
        .extracting(s -> s.getName())
        .contains("std.Echo", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection");

    ServerReflectionResponse file = reflect(ServerReflectionRequest.newBuilder().setFileContainingSymbol("std.Echo").build());
    List<FileDescriptorProto> files = file.getFileDescriptorResponse().getFileDescriptorProtoList().stream()
        .map(bytes -> {
          try {
            return FileDescriptorProto.parseFrom(bytes);
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
          }
        }).toList();
    assertThat(files).extracting(FileDescriptorProto::getName).contains("std/echo.proto");
    assertThat(files.stream().filter(f -> f.getName().equals("std/echo.proto")).findFirst().orElseThrow()
        .getService(0).getMethod(0).getName()).isEqualTo("Say");
  }

  @Test
  void standardServicesCanBeTurnedOff() throws InterruptedException {
    CourierServer bare = CourierServer.builder().address("127.0.0.1", 0).standardServices(false).start();
    ManagedChannel c = NettyChannelBuilder.forTarget(bare.target()).usePlaintext().build();
    try {
      assertThat(bare.health()).isEmpty();
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> HealthGrpc.newBlockingStub(c)
          .check(HealthCheckRequest.getDefaultInstance()))).hasMessageContaining("UNIMPLEMENTED");
    } finally {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      bare.close();
    }
  }

  private ServerReflectionResponse reflect(ServerReflectionRequest request) throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse value) {
            answer.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    requests.onNext(request);
    ServerReflectionResponse response = answer.get(10, TimeUnit.SECONDS);
    requests.onCompleted();
    return response;
  }

  private static FileDescriptor file() {
    FileDescriptorProto proto = FileDescriptorProto.newBuilder()
        .setName("std/echo.proto")
        .setPackage("std")
        .setSyntax("proto3")
        .addDependency("google/protobuf/wrappers.proto")
        .addService(ServiceDescriptorProto.newBuilder().setName("Echo").addMethod(MethodDescriptorProto.newBuilder()
            .setName("Say").setInputType(".google.protobuf.StringValue").setOutputType(".google.protobuf.StringValue")))
        .build();
    try {
      return FileDescriptor.buildFrom(proto, new FileDescriptor[] {WrappersProto.getDescriptor()});
    } catch (com.google.protobuf.Descriptors.DescriptorValidationException e) {
      throw new AssertionError(e);
    }
  }
}
