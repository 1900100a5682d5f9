package dev.courier.runtime.server;

import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.observe.TraceLog;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.lang.System.Logger.Level;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Adapts the methods of a user's service implementation to grpc server methods; used by
 * generated {@code XxxServer.bind} methods.
 *
 * <p>A method fails its call by throwing a {@link StatusRuntimeException} (such as {@code
 * CourierException}) or a {@link StatusException}: status, description and trailers reach the
 * client unchanged. Any other exception fails the call with {@code UNKNOWN} and is logged here,
 * because its message may hold details a client should not see.
 *
 * <p>A method whose policy declares {@code maxConcurrency > 0} runs at most that many calls at a
 * time on one server; further calls are refused at once with {@code RESOURCE_EXHAUSTED} before the
 * method runs (never queued). {@link CourierServer.Builder#maxConcurrency} overrides the limit.
 *
 * <p>On a {@link CourierServer}, a client- or bidi-streaming method whose call meets a request that
 * does not parse hears it in its request observer's {@code onError}: the {@code INVALID_ARGUMENT}
 * the client got, not grpc's {@code CANCELLED "client cancelled"}. The call is already closed then;
 * what the method sends afterwards is dropped.
 */
public final class ServiceBindings {
  private static final System.Logger LOG = System.getLogger(ServiceBindings.class.getName());

  private ServiceBindings() {}

  /** A unary method in request-response style. */
  @FunctionalInterface
  public interface UnaryHandler<ReqT, RespT> {
    RespT handle(ReqT request) throws Exception;
  }

  /**
   * A unary method that answers with a future, so that it need not hold a thread while it waits
   * for other services.
   */
  @FunctionalInterface
  public interface AsyncUnaryHandler<ReqT, RespT> {
    CompletionStage<RespT> handle(ReqT request) throws Exception;
  }

  /** A server-streaming method: one request, responses written to the observer. */
  @FunctionalInterface
  public interface ServerStreamingHandler<ReqT, RespT> {
    void handle(ReqT request, StreamObserver<RespT> responses) throws Exception;
  }

  /** A client- or bidi-streaming method: returns the observer that receives the requests. */
  @FunctionalInterface
  public interface StreamingHandler<ReqT, RespT> {
    StreamObserver<ReqT> handle(StreamObserver<RespT> responses) throws Exception;
  }

  /** Binds a unary method. */
  public static <ReqT, RespT> ServerMethodDefinition<ReqT, RespT> unary(
      RpcMethod<ReqT, RespT> method, UnaryHandler<ReqT, RespT> handler) {
    return ServerMethodDefinition.create(
        method.descriptor(), limited(method, unaryHandler(method.fullName(), handler)));
  }

  /**
   * Binds a unary method that answers with a future. The call ends when the future completes: with
   * its value, or with the status its exception stands for (as for a thrown one; a {@code
   * CompletionException} is unwrapped). A client that cancels cancels the future. A {@code null}
   * future or value fails the call with {@code INTERNAL}.
   */
  public static <ReqT, RespT> ServerMethodDefinition<ReqT, RespT> asyncUnary(
      RpcMethod<ReqT, RespT> method, AsyncUnaryHandler<ReqT, RespT> handler) {
    return ServerMethodDefinition.create(
        method.descriptor(), limited(method, asyncUnaryHandler(method.fullName(), handler)));
  }

  /** Binds a server-streaming method. */
  public static <ReqT, RespT> ServerMethodDefinition<ReqT, RespT> serverStreaming(
      RpcMethod<ReqT, RespT> method, ServerStreamingHandler<ReqT, RespT> handler) {
    return ServerMethodDefinition.create(
        method.descriptor(), limited(method, serverStreamingHandler(method.fullName(), handler)));
  }

  /** Binds a client-streaming method. */
  public static <ReqT, RespT> ServerMethodDefinition<ReqT, RespT> clientStreaming(
      RpcMethod<ReqT, RespT> method, StreamingHandler<ReqT, RespT> handler) {
    return ServerMethodDefinition.create(
        method.descriptor(), limited(method, clientStreamingHandler(method.fullName(), handler)));
  }

  /** Binds a bidirectional-streaming method. */
  public static <ReqT, RespT> ServerMethodDefinition<ReqT, RespT> bidiStreaming(
      RpcMethod<ReqT, RespT> method, StreamingHandler<ReqT, RespT> handler) {
    return ServerMethodDefinition.create(
        method.descriptor(), limited(method, bidiStreamingHandler(method.fullName(), handler)));
  }

  /**
   * {@code handler} behind the method's declared {@link dev.courier.runtime.MethodPolicy#maxConcurrency()
   * concurrency limit} (none when 0); {@link CourierServer.Builder#maxConcurrency} overrides it.
   */
  private static <ReqT, RespT> ServerCallHandler<ReqT, RespT> limited(
      RpcMethod<ReqT, RespT> method, ServerCallHandler<ReqT, RespT> handler) {
    return ConcurrencyLimit.apply(method.fullName(), method.policy().maxConcurrency(),
        new Declared<>(method, handler));
  }

  /**
   * A handler that knows the method it was bound for, so the status page can show the method's
   * declared policy ({@link ServiceCatalog}). It adds nothing to a call.
   */
  record Declared<ReqT, RespT>(RpcMethod<ReqT, RespT> method, ServerCallHandler<ReqT, RespT> next)
      implements ServerCallHandler<ReqT, RespT> {
    @Override
    public io.grpc.ServerCall.Listener<ReqT> startCall(io.grpc.ServerCall<ReqT, RespT> call, io.grpc.Metadata headers) {
      return next.startCall(call, headers);
    }
  }

  static <ReqT, RespT> ServerCallHandler<ReqT, RespT> unaryHandler(
      String fullMethodName, UnaryHandler<ReqT, RespT> handler) {
    return ServerCalls.asyncUnaryCall((request, responses) -> {
      RespT response;
      try {
        response = handler.handle(request);
      } catch (Throwable t) {
        responses.onError(toStatus(fullMethodName, t));
        return;
      }
      if (response == null) {
        responses.onError(Status.INTERNAL
            .withDescription(fullMethodName + " returned null (expected: a response message)")
            .asRuntimeException());
        return;
      }
      responses.onNext(response);
      responses.onCompleted();
    });
  }

  static <ReqT, RespT> ServerCallHandler<ReqT, RespT> asyncUnaryHandler(
      String fullMethodName, AsyncUnaryHandler<ReqT, RespT> handler) {
    return ServerCalls.asyncUnaryCall((request, responses) -> {
      CompletionStage<RespT> answer;
      try {
        answer = handler.handle(request);
      } catch (Throwable t) {
        responses.onError(toStatus(fullMethodName, t));
        return;
      }
      if (answer == null) {
        responses.onError(Status.INTERNAL
            .withDescription(fullMethodName + " returned a null future (expected: a future of the response)")
            .asRuntimeException());
        return;
      }
      ServerCallStreamObserver<RespT> call = (ServerCallStreamObserver<RespT>) responses;
      call.setOnCancelHandler(() -> answer.toCompletableFuture().cancel(false));
      answer.whenComplete((response, failure) -> {
        if (call.isCancelled()) {
          return; // the client gave up: nobody hears the answer
        }
        if (failure instanceof CancellationException) {
          call.onError(Status.CANCELLED.withDescription(fullMethodName + " cancelled its future").asRuntimeException());
        } else if (failure != null) {
          call.onError(toStatus(fullMethodName, failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause() : failure));
        } else if (response == null) {
          call.onError(Status.INTERNAL
              .withDescription(fullMethodName + " completed its future with null (expected: a response message)")
              .asRuntimeException());
        } else {
          call.onNext(response);
          call.onCompleted();
        }
      });
    });
  }

  static <ReqT, RespT> ServerCallHandler<ReqT, RespT> serverStreamingHandler(
      String fullMethodName, ServerStreamingHandler<ReqT, RespT> handler) {
    return ServerCalls.asyncServerStreamingCall((request, responses) -> {
      try {
        handler.handle(request, responses);
      } catch (Throwable t) {
        responses.onError(toStatus(fullMethodName, t));
      }
    });
  }

  static <ReqT, RespT> ServerCallHandler<ReqT, RespT> clientStreamingHandler(
      String fullMethodName, StreamingHandler<ReqT, RespT> handler) {
    return ServerCalls.asyncClientStreamingCall(responses -> open(fullMethodName, handler, responses));
  }

  static <ReqT, RespT> ServerCallHandler<ReqT, RespT> bidiStreamingHandler(
      String fullMethodName, StreamingHandler<ReqT, RespT> handler) {
    return ServerCalls.asyncBidiStreamingCall(responses -> open(fullMethodName, handler, responses));
  }

  private static <ReqT, RespT> StreamObserver<ReqT> open(
      String fullMethodName, StreamingHandler<ReqT, RespT> handler, StreamObserver<RespT> responses) {
    StreamObserver<ReqT> requests;
    try {
      requests = handler.handle(responses);
    } catch (Throwable t) {
      throw toStatus(fullMethodName, t);
    }
    if (requests == null) {
      throw Status.INTERNAL
          .withDescription(fullMethodName + " returned null (expected: a request observer)")
          .asRuntimeException();
    }
    RequestRefusal refusal = RequestRefusal.current();
    return refusal == null ? requests : new RefusalAwareRequests<>(requests, refusal);
  }

  /**
   * The method's request observer, told the parse guard's {@code INVALID_ARGUMENT} instead of
   * grpc's {@code CANCELLED "client cancelled"} when the guard refused a request of the call.
   */
  private static final class RefusalAwareRequests<ReqT> implements StreamObserver<ReqT> {
    private final StreamObserver<ReqT> requests;
    private final RequestRefusal refusal;

    RefusalAwareRequests(StreamObserver<ReqT> requests, RequestRefusal refusal) {
      this.requests = requests;
      this.refusal = refusal;
    }

    @Override
    public void onNext(ReqT value) {
      requests.onNext(value);
    }

    @Override
    public void onError(Throwable t) {
      requests.onError(refusal.explain(t));
    }

    @Override
    public void onCompleted() {
      requests.onCompleted();
    }
  }

  /** The status a thrown exception stands for; logs the ones that carry none. */
  static StatusRuntimeException toStatus(String fullMethodName, Throwable t) {
    if (t instanceof StatusRuntimeException sre) {
      return sre;
    }
    if (t instanceof StatusException se) {
      return se.getStatus().asRuntimeException(se.getTrailers());
    }
    if (t instanceof Error error && !(t instanceof AssertionError)) {
      throw error;
    }
    LOG.log(Level.WARNING, "Unexpected exception in " + fullMethodName + "; the call fails with UNKNOWN" + TraceLog.suffix(), t);
    return Status.UNKNOWN
        .withDescription("Application error processing RPC " + fullMethodName)
        .asRuntimeException();
  }
}
