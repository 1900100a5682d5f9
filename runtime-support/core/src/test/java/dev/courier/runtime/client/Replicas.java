package dev.courier.runtime.client;

import com.google.protobuf.StringValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.discovery.Endpoint;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Real gRPC echo servers on 127.0.0.1 with injectable faults (fail, hang, answer late, hold the
 * answers until released), for tests. Each replica answers
 * {@code test.Echo/Echo} (and the server-streaming {@code test.Echo/Repeat}) with its own name.
 * Closing the set stops every server and the delay timer.
 */
public final class Replicas implements AutoCloseable {
  public static final MethodDescriptor<StringValue, StringValue> ECHO = method("Echo", MethodDescriptor.MethodType.UNARY);
  /** {@link #ECHO} declared idempotent: retried and hedged like any idempotent method. */
  public static final RpcMethod<StringValue, StringValue> IDEMPOTENT_ECHO =
      RpcMethod.of(ECHO, MethodPolicy.builder().idempotent(true).build());
  public static final MethodDescriptor<StringValue, StringValue> REPEAT =
      method("Repeat", MethodDescriptor.MethodType.SERVER_STREAMING);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "replica-timer");
    t.setDaemon(true);
    return t;
  });
  private final List<Replica> replicas = new ArrayList<>();

  public static MethodDescriptor<StringValue, StringValue> method(String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<StringValue, StringValue>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Echo", name))
        .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .build();
  }

  public static StringValue text(String value) {
    return StringValue.of(value);
  }

  /** Starts {@code count} healthy replicas named r0, r1, ... */
  public static Replicas start(int count) {
    Replicas set = new Replicas();
    for (int i = 0; i < count; i++) {
      set.add("r" + i);
    }
    return set;
  }

  public Replica add(String name) {
    Replica replica = new Replica(name, timer);
    replicas.add(replica);
    return replica;
  }

  public Replica get(int index) {
    return replicas.get(index);
  }

  public List<Endpoint> endpoints() {
    return replicas.stream().map(Replica::endpoint).toList();
  }

  public int totalCalls() {
    return replicas.stream().mapToInt(Replica::calls).sum();
  }

  /** An endpoint on 127.0.0.1 where nothing listens: connections are refused. */
  public static Endpoint refusing() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return Endpoint.of("127.0.0.1", socket.getLocalPort());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    replicas.forEach(Replica::close);
    timer.shutdownNow();
  }

  /** One server. Faults can be changed while it runs. */
  public static final class Replica {
    public final String name;
    private final Server server;
    private final ScheduledExecutorService timer;
    private final CallCounter calls;
    private final List<Runnable> held = new ArrayList<>(); // guarded by itself
    private boolean hold; // guarded by held
    public volatile long delayMillis;
    public volatile boolean hang;
    public volatile Status failWith;
    public volatile double failShare = 1.0;

    Replica(String name, ScheduledExecutorService timer) {
      this.name = name;
      this.calls = new CallCounter(name);
      this.timer = timer;
      ServerServiceDefinition service = ServerServiceDefinition.builder("test.Echo")
          .addMethod(ECHO, ServerCalls.asyncUnaryCall(this::echo))
          .addMethod(REPEAT, ServerCalls.asyncServerStreamingCall(this::repeat))
          .build();
      try {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(service)
            .directExecutor()
            .build()
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public Endpoint endpoint() {
      return Endpoint.of("127.0.0.1", server.getPort());
    }

    public int calls() {
      return calls.get();
    }

    /**
     * Waits until this replica has received {@code count} calls in all, or fails after 10 s: for a
     * test that must know a call reached the server (a wait for another thread, not for time).
     */
    public void awaitCalls(int count) throws InterruptedException {
      calls.await(count);
    }


    /** Holds the answers of the calls that arrive from now on, until {@link #release()}. */
    public void hold() {
      synchronized (held) {
        hold = true;
      }
    }

    /** Sends the held answers and stops holding. */
    public void release() {
      List<Runnable> answers;
      synchronized (held) {
        hold = false;
        answers = List.copyOf(held);
        held.clear();
      }
      for (Runnable answer : answers) {
        try {
          answer.run();
        } catch (RuntimeException e) {
          // The client cancelled that call meanwhile (a hedge won): the answer goes nowhere.
        }
      }
    }

    private void count() {
      calls.increment();
    }

    private void echo(StringValue request, StreamObserver<StringValue> responses) {
      count();
      if (hang) {
        return;
      }
      Status fail = failWith;
      if (fail != null && ThreadLocalRandom.current().nextDouble() < failShare) {
        responses.onError(fail.asRuntimeException());
        return;
      }
      Runnable answer = () -> {
        responses.onNext(StringValue.of(name));
        responses.onCompleted();
      };
      synchronized (held) {
        if (hold) {
          held.add(answer);
          return;
        }
      }
      long delay = delayMillis;
      if (delay > 0) {
        timer.schedule(answer, delay, TimeUnit.MILLISECONDS);
      } else {
        answer.run();
      }
    }

    private void repeat(StringValue request, StreamObserver<StringValue> responses) {
      count();
      for (int i = 0; i < 3; i++) {
        responses.onNext(StringValue.of(name + ":" + request.getValue() + ":" + i));
      }
      responses.onCompleted();
    }

    void close() {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
