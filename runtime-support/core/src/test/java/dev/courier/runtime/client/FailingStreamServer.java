package dev.courier.runtime.client;

import com.google.protobuf.StringValue;
import dev.courier.runtime.discovery.Endpoint;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A plain grpc server on 127.0.0.1 whose streams all fail with one status and trailers:
 * {@code test.Echo/Repeat} (server streaming) after one message, {@code test.Echo/Collect}
 * (client streaming) and {@code test.Echo/Chat} (bidi) on their first request.
 */
final class FailingStreamServer implements AutoCloseable {
  static final MethodDescriptor<StringValue, StringValue> CHAT =
      Replicas.method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING);

  private final Server server;

  FailingStreamServer(Status status, Metadata trailers) {
    ServerServiceDefinition service = ServerServiceDefinition.builder("test.Echo")
        .addMethod(Replicas.REPEAT, ServerCalls.asyncServerStreamingCall((StringValue request,
            StreamObserver<StringValue> responses) -> {
          responses.onNext(StringValue.of("first"));
          responses.onError(status.asRuntimeException(trailers));
        }))
        .addMethod(HeaderServer.COLLECT, ServerCalls.asyncClientStreamingCall(responses -> failOnFirst(
            responses, status, trailers)))
        .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(responses -> failOnFirst(responses, status, trailers)))
        .build();
    try {
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
          .addService(service).directExecutor().build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static StreamObserver<StringValue> failOnFirst(
      StreamObserver<StringValue> responses, Status status, Metadata trailers) {
    return new StreamObserver<>() {
      @Override
      public void onNext(StringValue value) {
        responses.onError(status.asRuntimeException(trailers));
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  Endpoint endpoint() {
    return Endpoint.of("127.0.0.1", server.getPort());
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
