package dev.courier.runtime.fault;

import com.google.protobuf.StringValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loopback replica of {@code fault.Echo} for the fault tests and benchmarks: {@code Idempotent} and {@code
 * Once} (not idempotent) answer the replica's name. Each execution is counted, in total and per
 * request id (the request's value). Faults can be switched while it runs: fail every call with
 * {@code UNAVAILABLE}, hang (never answer), or answer late; a hung or late call that the client
 * cancels is counted as cancelled.
 *
 * <p>Run as a main ({@code FaultReplica <port> <name>}) it is a replica in its own JVM, for kills
 * with SIGKILL: it prints {@code PORT <port>} once serving and {@code RAN <id>} (flushed) before
 * each execution answers, so the parent sees every execution up to the kill.
 */
public final class FaultReplica implements AutoCloseable {
  public static final MethodDescriptor<StringValue, StringValue> IDEMPOTENT = method("Idempotent");
  public static final MethodDescriptor<StringValue, StringValue> ONCE = method("Once");

  public enum Mode { OK, FAIL, HANG, SLOW }

  final String name;
  private final PrintStream log;
  private final ScheduledExecutorService timer;
  /**
   * The replica's own network thread, kept across {@link #restart}. Replicas in one JVM would
   * otherwise share grpc's default event loops, and a restarted replica's new connection could land
   * on a thread that already serves another replica, making it slower than the others for the rest
   * of a run, which replicas on machines of their own never are.
   */
  private final EventLoopGroup eventLoop;
  private final AtomicInteger executions = new AtomicInteger();
  private final AtomicInteger cancelled = new AtomicInteger();
  private final Map<String, AtomicInteger> perId = new ConcurrentHashMap<>();
  private volatile Mode mode = Mode.OK;
  private volatile long slowMillis;
  private volatile Server server;
  private final int port;

  private FaultReplica(String name, int port, PrintStream log) {
    this.name = name;
    this.log = log;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "replica-" + name + "-timer");
      t.setDaemon(true);
      return t;
    });
    this.eventLoop = new MultiThreadIoEventLoopGroup(1, r -> {
      Thread t = new Thread(r, "replica-" + name + "-io");
      t.setDaemon(true);
      return t;
    }, NioIoHandler.newFactory());
    this.server = serve(port);
    this.port = server.getPort();
  }

  /** A replica in this JVM on a free loopback port. */
  public static FaultReplica start(String name) {
    return new FaultReplica(name, 0, null);
  }

  public static RpcMethod<StringValue, StringValue> idempotent(MethodPolicy.Builder policy) {
    return RpcMethod.of(IDEMPOTENT, policy.idempotent(true).build());
  }

  public static RpcMethod<StringValue, StringValue> once() {
    return RpcMethod.of(ONCE, MethodPolicy.DEFAULT);
  }

  public static MethodDescriptor<StringValue, StringValue> method(String name) {
    return MethodDescriptor.<StringValue, StringValue>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName("fault.Echo", name))
        .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .build();
  }

  public int port() {
    return port;
  }

  public int executions() {
    return executions.get();
  }

  public int cancelled() {
    return cancelled.get();
  }

  /**
   * Waits until the replica has seen {@code count} calls cancelled, or fails after 10 s: a wait
   * for the client's cancellations to arrive, not for time to pass.
   */
  public void awaitCancelled(int count) throws InterruptedException {
    await(cancelled, count, "calls cancelled");
  }

  /** Waits until the replica has run {@code count} executions, or fails after 10 s. */
  public void awaitExecutions(int count) throws InterruptedException {
    await(executions, count, "executions");
  }

  private void await(AtomicInteger counter, int count, String what) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    synchronized (counter) {
      while (counter.get() < count) {
        long left = until - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(name + ": " + counter.get() + " " + what + " (expected: " + count + ")");
        }
        TimeUnit.NANOSECONDS.timedWait(counter, left);
      }
    }
  }

  private static void increment(AtomicInteger counter) {
    synchronized (counter) {
      counter.incrementAndGet();
      counter.notifyAll();
    }
  }

  private void onCancelled() {
    increment(cancelled);
  }

  /** Executions per request id. */
  public Map<String, AtomicInteger> perId() {
    return perId;
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  public void slow(long millis) {
    this.slowMillis = millis;
    this.mode = Mode.SLOW;
  }

  public void resetCounts() {
    executions.set(0);
    cancelled.set(0);
    perId.clear();
  }

  /** Stops serving at once, like a crash seen from the network (connections reset). */
  public void stop() {
    Server s = server;
    s.shutdownNow();
    try {
      s.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Serves again on the same port. */
  public void restart() {
    server = serve(port);
  }

  private Server serve(int onPort) {
    ServerServiceDefinition service = ServerServiceDefinition.builder("fault.Echo")
        .addMethod(IDEMPOTENT, ServerCalls.asyncUnaryCall(this::handle))
        .addMethod(ONCE, ServerCalls.asyncUnaryCall(this::handle))
        .build();
    try {
      return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", onPort))
          .addService(service)
          .bossEventLoopGroup(eventLoop)
          .workerEventLoopGroup(eventLoop)
          .channelType(NioServerSocketChannel.class)
          .directExecutor()
          .build()
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void handle(StringValue request, StreamObserver<StringValue> responses) {
    increment(executions);
    perId.computeIfAbsent(request.getValue(), k -> new AtomicInteger()).incrementAndGet();
    ServerCallStreamObserver<StringValue> call = (ServerCallStreamObserver<StringValue>) responses;
    Mode now = mode;
    if (now == Mode.HANG || now == Mode.SLOW) {
      call.setOnCancelHandler(this::onCancelled);
    }
    switch (now) {
      case FAIL -> responses.onError(Status.UNAVAILABLE.withDescription(name + " failing").asRuntimeException());
      case HANG -> { }
      case SLOW -> timer.schedule(() -> answer(request, call), slowMillis, TimeUnit.MILLISECONDS);
      case OK -> answer(request, call);
    }
  }

  private void answer(StringValue request, ServerCallStreamObserver<StringValue> call) {
    if (call.isCancelled()) {
      return;
    }
    if (log != null) {
      synchronized (log) {
        log.println("RAN " + request.getValue());
        log.flush();
      }
    }
    call.onNext(StringValue.of(name));
    call.onCompleted();
  }

  @Override
  public void close() {
    stop();
    timer.shutdownNow();
    eventLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
  }

  /** {@code FaultReplica <port> <name>}: serves until killed. */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
        StandardCharsets.UTF_8);
    FaultReplica replica = new FaultReplica(args[1], Integer.parseInt(args[0]), out);
    synchronized (out) {
      out.println("PORT " + replica.port());
      out.flush();
    }
    new CountDownLatch(1).await();
  }
}
