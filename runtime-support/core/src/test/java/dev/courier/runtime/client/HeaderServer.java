package dev.courier.runtime.client;

import com.google.protobuf.StringValue;
import dev.courier.runtime.discovery.Endpoint;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A plain grpc server on 127.0.0.1 serving {@code test.Echo/Echo} and {@code test.Echo/Repeat}
 * (see {@link Replicas}) and the client-streaming {@code test.Echo/Collect}, whose server
 * interceptor records the request headers of every call, for call-context tests. How {@code Echo}
 * answers is given per server; {@code Repeat} answers {@code <request>:0..2}; {@code Collect}
 * answers the requests joined with {@code +}.
 */
public final class HeaderServer implements AutoCloseable {
  /** How {@code Echo} answers its {@code number}-th call (from 1). */
  @FunctionalInterface
  public interface Answer {
    void answer(int number, StringValue request, StreamObserver<StringValue> responses);
  }

  public static final io.grpc.MethodDescriptor<StringValue, StringValue> COLLECT =
      Replicas.method("Collect", io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING);

  private final List<Metadata> headers = new CopyOnWriteArrayList<>();
  private final CallCounter calls = new CallCounter("the server");
  private final Server server;

  private HeaderServer(Answer answer) {
    ServerServiceDefinition service = ServerServiceDefinition.builder("test.Echo")
        .addMethod(Replicas.ECHO, ServerCalls.asyncUnaryCall(
            (request, responses) -> answer.answer(count(), request, responses)))
        .addMethod(Replicas.REPEAT, ServerCalls.asyncServerStreamingCall((StringValue request,
            StreamObserver<StringValue> responses) -> {
          for (int i = 0; i < 3; i++) {
            responses.onNext(StringValue.of(request.getValue() + ":" + i));
          }
          responses.onCompleted();
        }))
        .addMethod(COLLECT, ServerCalls.asyncClientStreamingCall(responses -> new StreamObserver<StringValue>() {
          private final StringBuilder joined = new StringBuilder();

          @Override
          public void onNext(StringValue value) {
            joined.append(joined.length() == 0 ? "" : "+").append(value.getValue());
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            responses.onNext(StringValue.of(joined.toString()));
            responses.onCompleted();
          }
        }))
        .build();
    ServerInterceptor recording = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata requestHeaders, ServerCallHandler<ReqT, RespT> next) {
        headers.add(requestHeaders);
        return next.startCall(call, requestHeaders);
      }
    };
    try {
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
          .addService(ServerInterceptors.intercept(service, recording))
          .directExecutor()
          .build()
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static HeaderServer start(Answer answer) {
    return new HeaderServer(answer);
  }

  /** Answers {@code ok <number>}. */
  public static Answer answering() {
    return (number, request, responses) -> {
      responses.onNext(StringValue.of("ok " + number));
      responses.onCompleted();
    };
  }

  /** Fails the first {@code failures} calls with {@code UNAVAILABLE}, then answers {@code ok <number>}. */
  public static Answer failingFirst(int failures) {
    Answer ok = answering();
    return (number, request, responses) -> {
      if (number <= failures) {
        responses.onError(Status.UNAVAILABLE.withDescription("failure " + number).asRuntimeException());
      } else {
        ok.answer(number, request, responses);
      }
    };
  }

  /** Fails every call with {@code status}. */
  public static Answer failing(Status status) {
    return (number, request, responses) -> responses.onError(status.asRuntimeException());
  }

  /** Never answers. */
  public static Answer hanging() {
    return (number, request, responses) -> {};
  }

  public Endpoint endpoint() {
    return Endpoint.of("127.0.0.1", server.getPort());
  }

  /** The request headers of every call so far, in the order the calls arrived. */
  public List<Metadata> headers() {
    return List.copyOf(headers);
  }

  /** How many {@code Echo} calls reached the implementation. */
  public int calls() {
    return calls.get();
  }

  /** Waits until {@code count} {@code Echo} calls reached the implementation, or fails after 10 s. */
  public void awaitCalls(int count) throws InterruptedException {
    calls.await(count);
  }


  private int count() {
    return calls.increment();
  }

  /** Stops at once: calls in flight are reset. */
  public void shutdownNow() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    try {
      shutdownNow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
