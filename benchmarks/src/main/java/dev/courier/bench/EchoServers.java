package dev.courier.bench;

import com.google.protobuf.BytesValue;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * An echo server on 127.0.0.1, optionally answering after a fixed delay (from a timer, so a slow
 * replica costs no thread). Both sides of every comparison call the same servers. They run grpc-java
 * with {@code directExecutor()}: the echo never blocks, so the hand-off to grpc's default executor
 * would only add a thread wake-up per call on the server, which on a 2-core machine takes CPU from
 * the clients being compared.
 */
final class EchoServers {
  static final MethodDescriptor<BytesValue, BytesValue> ECHO = MethodDescriptor.<BytesValue, BytesValue>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName("bench.Echo/Echo")
      .setRequestMarshaller(ProtoUtils.marshaller(BytesValue.getDefaultInstance()))
      .setResponseMarshaller(ProtoUtils.marshaller(BytesValue.getDefaultInstance()))
      .build();

  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "echo-delay");
    t.setDaemon(true);
    return t;
  });

  private static final Map<Server, LongAdder> CALLS = new ConcurrentHashMap<>();

  private EchoServers() {}

  /** Calls {@code server} has received so far. */
  static long calls(Server server) {
    return CALLS.get(server).sum();
  }

  /** Starts an echo server; {@code delayMillis > 0} answers after that delay. */
  static Server start(long delayMillis) {
    LongAdder calls = new LongAdder();
    ServerServiceDefinition service = ServerServiceDefinition.builder("bench.Echo")
        .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, responses) -> {
          calls.increment();
          Runnable answer = () -> {
            responses.onNext(request);
            responses.onCompleted();
          };
          if (delayMillis > 0) {
            TIMER.schedule(answer, delayMillis, TimeUnit.MILLISECONDS);
          } else {
            answer.run();
          }
        }))
        .build();
    try {
      Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
          .addService(service).directExecutor().build().start();
      CALLS.put(server, calls);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void stop(Server server) {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
