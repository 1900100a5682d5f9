package dev.courier.runtime.server;

import io.grpc.Context;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.lang.System.Logger.Level;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One server's {@link CallExecutor} at work: admits at most {@code maxCalls} calls at once and runs
 * each admitted call's events (its interceptors' and its method's) on the executor, one at a time;
 * refuses the others with {@code RESOURCE_EXHAUSTED} on the network thread, before any of them runs.
 *
 * <p>grpc-java itself runs a server's call events on its executor, and when that executor refuses
 * a task grpc resets the stream and logs a stack trace; with an unbounded pool it starts a thread
 * per call. So the server gives grpc a direct executor (events arrive on the network thread, where
 * the parse guard also runs) and this layer, inside the guard and outside every interceptor, hands
 * them to the bounded executor. A call holds its place from its start until it is closed (its
 * answer sent) or its last event ({@code onComplete} or {@code onCancel}) has run, whichever comes
 * first: so a client that sends its next call on seeing an answer never finds its own previous call
 * still counted. A pool of platform threads queues the one task that may then briefly exceed the
 * bound; it never grows past {@code maxCalls} threads. Thread-safe.
 */
final class BoundedCalls {
  private static final System.Logger LOG = System.getLogger(CourierServer.class.getName());

  private final int maxCalls;
  private final ExecutorService executor;
  private final AtomicInteger admitted = new AtomicInteger();

  BoundedCalls(CallExecutor kind) {
    this.maxCalls = kind.maxCalls();
    this.executor = kind.start();
  }

  /** {@code service} with every method behind this bound. */
  ServerServiceDefinition apply(ServerServiceDefinition service) {
    ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(service.getServiceDescriptor());
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      builder.addMethod(bound(method));
    }
    return builder.build();
  }

  private <ReqT, RespT> ServerMethodDefinition<ReqT, RespT> bound(ServerMethodDefinition<ReqT, RespT> method) {
    ServerCallHandler<ReqT, RespT> next = method.getServerCallHandler();
    String name = method.getMethodDescriptor().getFullMethodName();
    return method.withServerCallHandler((call, headers) -> startCall(name, next, call, headers));
  }

  /** Calls admitted and not yet over. */
  int admitted() {
    return admitted.get();
  }

  /** Lets the executor's threads end once their tasks have run; later tasks run where they are given. */
  void stop() {
    executor.shutdown();
  }

  private <ReqT, RespT> ServerCall.Listener<ReqT> startCall(
      String fullMethodName, ServerCallHandler<ReqT, RespT> next, ServerCall<ReqT, RespT> call, Metadata headers) {
    if (admitted.incrementAndGet() > maxCalls) {
      admitted.decrementAndGet();
      call.close(Status.RESOURCE_EXHAUSTED.withDescription(String.format(
          "the server is running as many calls as it may (maxCalls: %d); the call to %s was refused before it"
              + " ran, retry it on another replica", maxCalls, fullMethodName)), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Release release = new Release();
    ServerCall<ReqT, RespT> releasing = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        release.run(); // before the client can see the answer and send its next call
        super.close(status, trailers);
      }
    };
    Offloaded<ReqT> listener = new Offloaded<>(fullMethodName, releasing, new SerialExecutor(executor),
        Context.current(), release);
    listener.start(() -> next.startCall(releasing, headers));
    return listener;
  }

  /** Gives a call's place back once: when the call is closed, or after its last event, whichever is first. */
  private final class Release implements Runnable {
    private final AtomicBoolean done = new AtomicBoolean();

    @Override
    public void run() {
      if (done.compareAndSet(false, true)) {
        admitted.decrementAndGet();
      }
    }
  }

  /** Hands each event to the call's serial executor, in the call's context; gives the place back after the last. */
  private final class Offloaded<ReqT> extends ServerCall.Listener<ReqT> {
    private final String fullMethodName;
    private final ServerCall<ReqT, ?> call;
    private final SerialExecutor serial;
    private final Context context;
    private final Runnable release;
    // Set and read on the serial executor only, whose hand-offs order its tasks' memory effects.
    private ServerCall.Listener<ReqT> delegate;

    Offloaded(String fullMethodName, ServerCall<ReqT, ?> call, SerialExecutor serial, Context context,
        Runnable release) {
      this.fullMethodName = fullMethodName;
      this.call = call;
      this.serial = serial;
      this.context = context;
      this.release = release;
    }

    void start(Supplier<ServerCall.Listener<ReqT>> startCall) {
      serial.execute(() -> {
        Context previous = context.attach();
        try {
          delegate = startCall.get();
        } catch (RuntimeException | Error e) {
          // As grpc does when a handler throws at start: its status (a streaming method's
          // StatusRuntimeException from ServiceBindings, say) closes the call.
          closeQuietly(Status.fromThrowable(e), Status.trailersFromThrowable(e));
        } finally {
          context.detach(previous);
        }
      });
    }

    @Override
    public void onMessage(ReqT message) {
      deliver(listener -> listener.onMessage(message), false);
    }

    @Override
    public void onHalfClose() {
      deliver(ServerCall.Listener::onHalfClose, false);
    }

    @Override
    public void onReady() {
      deliver(ServerCall.Listener::onReady, false);
    }

    @Override
    public void onCancel() {
      deliver(ServerCall.Listener::onCancel, true);
    }

    @Override
    public void onComplete() {
      deliver(ServerCall.Listener::onComplete, true);
    }

    private void deliver(java.util.function.Consumer<ServerCall.Listener<ReqT>> event, boolean last) {
      serial.execute(() -> {
        Context previous = context.attach();
        try {
          if (delegate != null) {
            event.accept(delegate);
          }
        } catch (RuntimeException | Error e) {
          LOG.log(Level.WARNING, "Unexpected exception in " + fullMethodName + "; the call fails with UNKNOWN", e);
          closeQuietly(Status.UNKNOWN.withDescription("Application error processing RPC " + fullMethodName), null);
        } finally {
          context.detach(previous);
          if (last) {
            release.run();
          }
        }
      });
    }

    private void closeQuietly(Status status, Metadata trailers) {
      try {
        call.close(status, trailers == null ? new Metadata() : trailers);
      } catch (IllegalStateException alreadyClosed) {
        // the method closed it before it threw: its answer stands
      }
    }
  }
}
