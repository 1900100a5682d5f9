package dev.courier.runtime.server;

import com.google.protobuf.Message;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Used by {@link CourierServer} for every service it serves, health and reflection included.
 * Answers a request whose bytes are not a valid request message with {@code INVALID_ARGUMENT},
 * naming the method, the expected message type and protobuf's reason, instead of grpc-java's
 * {@code UNKNOWN "Application error processing RPC"}, and logs one line at {@code DEBUG} (no stack
 * trace) per refused call.
 *
 * <p>grpc-java parses each request before any handler or interceptor runs, and turns any parse
 * failure into {@code UNKNOWN}. So the server binds the method with a request marshaller that,
 * instead of throwing, remembers the failure on the parsing thread and hands the listener a
 * {@code null} message (protobuf never parses to {@code null}); this handler, which grpc calls on
 * that same thread right after the parse, closes the call and cancels the method's own listener,
 * so the implementation never sees the bad request.
 *
 * <p>grpc-java starts a streaming method when its call starts, before any message arrives, so
 * "refused before the method runs" holds per message there: a client- or bidi-streaming method
 * bound through {@link ServiceBindings} hears the refusal in its request observer's {@code
 * onError} as this {@code INVALID_ARGUMENT} (see {@link RequestRefusal}); one bound otherwise hears
 * grpc's {@code CANCELLED}. What the method then sends or closes is dropped. A service bound with
 * {@code XxxServer.bind} and added to another grpc server keeps grpc-java's behaviour.
 */
final class RequestParseGuard<ReqT, RespT> implements ServerCallHandler<ReqT, RespT> {
  private static final System.Logger LOG = System.getLogger(CourierServer.class.getName());
  private static final ThreadLocal<RuntimeException> PARSE_FAILURE = new ThreadLocal<>();

  private final String fullMethodName;
  private final String messageType;
  private final ServerCallHandler<ReqT, RespT> next;

  private RequestParseGuard(String fullMethodName, String messageType, ServerCallHandler<ReqT, RespT> next) {
    this.fullMethodName = fullMethodName;
    this.messageType = messageType;
    this.next = next;
  }

  /**
   * {@code service} with every method guarded: each method descriptor gets the remembering request
   * marshaller and each handler the guard. The service descriptor is rebuilt around the new method
   * descriptors (same name and schema), because grpc requires the very same instances in both.
   */
  static ServerServiceDefinition apply(ServerServiceDefinition service) {
    ServiceDescriptor original = service.getServiceDescriptor();
    List<ServerMethodDefinition<?, ?>> guarded = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      guarded.add(guard(method));
    }
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
        .setSchemaDescriptor(original.getSchemaDescriptor());
    guarded.forEach(method -> descriptor.addMethod(method.getMethodDescriptor()));
    ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor.build());
    guarded.forEach(builder::addMethod);
    return builder.build();
  }

  private static <ReqT, RespT> ServerMethodDefinition<ReqT, RespT> guard(ServerMethodDefinition<ReqT, RespT> method) {
    MethodDescriptor<ReqT, RespT> descriptor = method.getMethodDescriptor();
    MethodDescriptor.Marshaller<ReqT> requests = descriptor.getRequestMarshaller();
    return ServerMethodDefinition.create(
        descriptor.toBuilder().setRequestMarshaller(new Remembering<>(requests)).build(),
        new RequestParseGuard<>(descriptor.getFullMethodName(), messageType(requests), method.getServerCallHandler()));
  }

  private static String messageType(MethodDescriptor.Marshaller<?> marshaller) {
    if (marshaller instanceof MethodDescriptor.PrototypeMarshaller<?> prototyped
        && prototyped.getMessagePrototype() instanceof Message message) {
      return message.getDescriptorForType().getFullName();
    }
    return "request";
  }

  @Override
  public ServerCall.Listener<ReqT> startCall(ServerCall<ReqT, RespT> call, Metadata headers) {
    RequestRefusal refusal = new RequestRefusal();
    RefusableCall<ReqT, RespT> refusable = new RefusableCall<>(call, refusal);
    // The interceptors and the method run in a context that carries the refusal (see RequestRefusal).
    Context context = refusal.attachTo(Context.current());
    return new Listener(refusable, Contexts.interceptCall(context, refusable, headers, next));
  }

  /** Drops every event for the method once the call was refused, except one cancellation. */
  private final class Listener extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {
    private final RefusableCall<ReqT, RespT> call;
    private boolean refused; // grpc delivers listener events one at a time

    Listener(RefusableCall<ReqT, RespT> call, ServerCall.Listener<ReqT> delegate) {
      super(delegate);
      this.call = call;
    }

    @Override
    public void onMessage(ReqT message) {
      if (refused) {
        return;
      }
      if (message != null) {
        super.onMessage(message);
        return;
      }
      RuntimeException failure = PARSE_FAILURE.get();
      PARSE_FAILURE.remove();
      refused = true;
      String description = "the request to " + fullMethodName + " is not a valid " + messageType + " message"
          + reason(failure);
      // One line, no stack trace: a client can send bad bytes as often as it likes.
      LOG.log(Level.DEBUG, () -> "refused a call: INVALID_ARGUMENT " + description);
      call.refuse(Status.INVALID_ARGUMENT.withDescription(description).withCause(failure));
      super.onCancel(); // the method's own listener learns that the call is over
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        super.onHalfClose();
      }
    }

    @Override
    public void onReady() {
      if (!refused) {
        super.onReady();
      }
    }

    @Override
    public void onCancel() {
      if (!refused) {
        super.onCancel();
      }
    }

    @Override
    public void onComplete() {
      if (!refused) {
        super.onComplete();
      }
    }
  }

  /**
   * The call as the interceptors and the method see it: once the guard refused it, what they send
   * or close is dropped, so a streaming method that answers its request observer's error with
   * {@code responses.onError(...)} (as it should) meets no "call already closed".
   */
  private static final class RefusableCall<ReqT, RespT>
      extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {
    private final RequestRefusal refusal;
    private final AtomicBoolean closed = new AtomicBoolean();

    RefusableCall(ServerCall<ReqT, RespT> call, RequestRefusal refusal) {
      super(call);
      this.refusal = refusal;
    }

    /** Closes the call with {@code status} unless the method closed it first. */
    void refuse(Status status) {
      refusal.refuse(status);
      if (closed.compareAndSet(false, true)) {
        super.close(status, new Metadata());
      }
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (closed.compareAndSet(false, true)) {
        super.close(status, trailers);
      }
    }

    @Override
    public void sendHeaders(Metadata headers) {
      if (!refusal.refused()) {
        super.sendHeaders(headers);
      }
    }

    @Override
    public void sendMessage(RespT message) {
      if (!refusal.refused()) {
        super.sendMessage(message);
      }
    }
  }

  /** protobuf's own words, under the marshaller's wrapping ("INTERNAL: Invalid protobuf byte sequence"). */
  private static String reason(Throwable failure) {
    String reason = "";
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null) {
        reason = ": " + t.getMessage();
      }
    }
    return reason;
  }

  /** Parses with the method's marshaller; a failure is remembered and read as {@code null}. */
  private static final class Remembering<T> implements MethodDescriptor.PrototypeMarshaller<T> {
    private final MethodDescriptor.Marshaller<T> delegate;

    Remembering(MethodDescriptor.Marshaller<T> delegate) {
      this.delegate = delegate;
    }

    @Override
    public InputStream stream(T value) {
      return delegate.stream(value);
    }

    @Override
    public T parse(InputStream stream) {
      try {
        return delegate.parse(stream);
      } catch (RuntimeException e) {
        PARSE_FAILURE.set(e);
        return null;
      }
    }

    @Override
    public T getMessagePrototype() {
      return delegate instanceof MethodDescriptor.PrototypeMarshaller<T> prototyped
          ? prototyped.getMessagePrototype() : null;
    }

    @Override
    public Class<T> getMessageClass() {
      return delegate instanceof MethodDescriptor.ReflectableMarshaller<T> reflectable
          ? reflectable.getMessageClass() : null;
    }
  }
}
