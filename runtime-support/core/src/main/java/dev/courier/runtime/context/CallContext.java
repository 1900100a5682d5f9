package dev.courier.runtime.context;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The call a service method is serving: what the caller sent with it (metadata, the remaining
 * deadline), who the caller is (peer address, TLS identity, authenticated {@link Principal}), and
 * the response headers and trailers the method adds. A method reaches it with {@link #current()},
 * on the thread the call runs on, so generated interfaces stay free of transport types:
 *
 * <pre>{@code
 * public Book getBook(GetBookRequest request) {
 *   CallContext call = CallContext.current();
 *   String requestId = call.header("x-request-id").orElse("none");
 *   call.setTrailer("x-served-by", hostName);
 *   ...
 * }
 * }</pre>
 *
 * <p>A Courier server makes one for every call it serves (gRPC), and a queue worker for every
 * request it handles ({@link Transport#QUEUE}: the metadata and deadline the caller sent; no peer,
 * and no response metadata). Tests build one with {@link #builder} and run code in it with {@link
 * #call} or {@link #run}.
 *
 * <p>Header names are case-insensitive and read in lower case, as gRPC sends them; binary headers
 * end in {@code -bin}. Reads are thread-safe; so are the setters, which a method may call from any
 * thread until the call's response headers (with the first response message) or its end (the
 * trailers) have gone out. {@link #toString()} shows header names, never their values, so a
 * context may be logged without leaking tokens.
 */
public final class CallContext {
  /** Where a call came from. */
  public enum Transport {
    /** A gRPC call served by a Courier server. */
    GRPC,
    /** A queue-backed call handled by a Courier queue worker. */
    QUEUE
  }

  private static final Context.Key<CallContext> KEY = Context.key("courier.CallContext");
  /** The request metadata of a call that carries none: only ever read, so one for all. */
  private static final Metadata NO_HEADERS = new Metadata();

  private final String fullMethodName;
  private final Transport transport;
  private final Metadata requestHeaders;
  private final SocketAddress peerAddress;
  private final PeerIdentity peerIdentity;
  private final Deadline deadline;
  private final ResponseMetadata response; // null: the transport carries no response metadata
  private volatile Principal principal;

  private CallContext(Builder b) {
    this.fullMethodName = b.fullMethodName;
    this.transport = b.transport;
    this.requestHeaders = b.headers == null ? NO_HEADERS : b.headers;
    this.peerAddress = b.peerAddress;
    this.peerIdentity = b.peerIdentity;
    this.deadline = b.deadline;
    this.response = b.transport == Transport.GRPC ? new ResponseMetadata() : null;
    this.principal = b.principal;
  }

  /**
   * The call being served on this thread.
   *
   * @throws IllegalStateException outside a service method of a Courier server or queue worker
   *     (or code run with {@link #call}/{@link #run}), for example on a thread the method started
   *     itself: read the context first and hand it over
   */
  public static CallContext current() {
    CallContext current = KEY.get();
    if (current == null) {
      throw new IllegalStateException("No Courier call is being served on thread " + Thread.currentThread().getName()
          + ": CallContext.current() works inside a service method served by a Courier server or queue worker;"
          + " on a thread of your own, read the context in the method and pass it along");
    }
    return current;
  }

  /** The call being served on this thread, if any; see {@link #current()}. */
  public static Optional<CallContext> find() {
    return Optional.ofNullable(KEY.get());
  }

  /** A context for {@code fullMethodName} ({@code package.Service/Method}), to build by hand. */
  public static Builder builder(String fullMethodName) {
    return new Builder(fullMethodName);
  }

  /** {@code package.Service/Method}. */
  public String fullMethodName() {
    return fullMethodName;
  }

  /** {@code package.Service}. */
  public String serviceName() {
    return fullMethodName.substring(0, fullMethodName.indexOf('/'));
  }

  /** The method's name, as in the {@code .proto}. */
  public String methodName() {
    return fullMethodName.substring(fullMethodName.indexOf('/') + 1);
  }

  public Transport transport() {
    return transport;
  }

  /** The last value of the text header {@code name}; empty when the caller sent none. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(requestHeaders.get(textKey(name)));
  }

  /** Every value of the text header {@code name}, in the order sent; empty when none. */
  public List<String> headerValues(String name) {
    Iterable<String> values = requestHeaders.getAll(textKey(name));
    List<String> list = new ArrayList<>();
    if (values != null) {
      values.forEach(list::add);
    }
    return List.copyOf(list);
  }

  /** The last value of the binary header {@code name} (which ends in {@code -bin}); a copy. */
  public Optional<byte[]> binaryHeader(String name) {
    byte[] value = requestHeaders.get(binaryKey(name));
    return Optional.ofNullable(value).map(byte[]::clone);
  }

  /** The names of the headers the caller sent, in lower case. */
  public Set<String> headerNames() {
    return Set.copyOf(requestHeaders.keys());
  }

  /**
   * A copy of the request metadata as gRPC delivered it (pseudo-headers and the transport's own
   * headers excluded), for code that works with grpc types.
   */
  public Metadata requestMetadata() {
    Metadata copy = new Metadata();
    copy.merge(requestHeaders);
    return copy;
  }

  /** The caller's address, as the transport saw it; empty for queue calls. */
  public Optional<SocketAddress> peerAddress() {
    return Optional.ofNullable(peerAddress);
  }

  /** The certificate identity the caller presented under mutual TLS; empty otherwise. */
  public Optional<PeerIdentity> peerIdentity() {
    return Optional.ofNullable(peerIdentity);
  }

  /** The principal the server's {@link Authenticator} established; empty for anonymous calls. */
  public Optional<Principal> principal() {
    return Optional.ofNullable(principal);
  }

  /** Whether the caller set a deadline. */
  public boolean hasDeadline() {
    return deadline != null;
  }

  /**
   * Time left until the caller's deadline (zero or negative once it passed); empty when the caller
   * set none. Courier client calls made from the method inherit it.
   */
  public Optional<Duration> remaining() {
    return deadline == null ? Optional.empty() : Optional.of(Duration.ofNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS)));
  }

  /** The caller's deadline as a grpc {@link Deadline}, or {@code null} when none. */
  public Deadline deadline() {
    return deadline;
  }

  /**
   * Adds the text header {@code name: value} to the response headers, which go out with the first
   * response message (or, for a call that sends none, with the trailers).
   *
   * @throws IllegalStateException once the response headers were sent, or for queue calls
   */
  public CallContext setResponseHeader(String name, String value) {
    responseMetadata("setResponseHeader").addHeader(textKey(name), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Adds the binary header {@code name} ({@code -bin}) to the response headers; see above. */
  public CallContext setResponseHeader(String name, byte[] value) {
    responseMetadata("setResponseHeader").addHeader(binaryKey(name), Objects.requireNonNull(value, "value").clone());
    return this;
  }

  /**
   * Adds the text trailer {@code name: value}, sent when the call ends, with its status (on success
   * and on failure).
   *
   * @throws IllegalStateException once the call ended, or for queue calls
   */
  public CallContext setTrailer(String name, String value) {
    responseMetadata("setTrailer").addTrailer(textKey(name), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Adds the binary trailer {@code name} ({@code -bin}); see above. */
  public CallContext setTrailer(String name, byte[] value) {
    responseMetadata("setTrailer").addTrailer(binaryKey(name), Objects.requireNonNull(value, "value").clone());
    return this;
  }

  /** Runs {@code body} with this context as {@link #current()} (and its deadline as gRPC's). */
  public <T> T call(Callable<T> body) throws Exception {
    Objects.requireNonNull(body, "body");
    Context.CancellableContext attached = attachable(Context.current());
    Context previous = attached.attach();
    try {
      return body.call();
    } finally {
      attached.detach(previous);
      attached.cancel(null);
    }
  }

  /** Runs {@code body} with this context as {@link #current()}; see {@link #call}. */
  public void run(Runnable body) {
    Objects.requireNonNull(body, "body");
    try {
      call(() -> {
        body.run();
        return null;
      });
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e); // not reached: a Runnable throws no checked exception
    }
  }

  /**
   * {@code parent} with this context as {@link #current()} and, when it has one, its deadline as
   * gRPC's; the caller attaches it, and cancels it when the call ends. For Courier's servers and
   * workers.
   */
  public Context.CancellableContext attachable(Context parent) {
    return attachable(parent, Deadlines.scheduler());
  }

  /**
   * As {@link #attachable(Context)}, with the deadline's cancellation timed on {@code
   * deadlineTimer} (only its {@code schedule(Runnable, delay, unit)} is used): for a queue worker,
   * which sets one per request, on a timer made for that. One context, whatever the deadline: the
   * value and the deadline (or the cancellation) on top of {@code parent}.
   */
  public Context.CancellableContext attachable(Context parent, ScheduledExecutorService deadlineTimer) {
    Objects.requireNonNull(deadlineTimer, "deadlineTimer");
    Context withValue = parent.withValue(KEY, this);
    return deadline == null || parent.getDeadline() != null && !deadline.isBefore(parent.getDeadline())
        ? withValue.withCancellation()
        : withValue.withDeadline(deadline, deadlineTimer);
  }

  /** The gRPC context key the server stores the context under. */
  static Context.Key<CallContext> key() {
    return KEY;
  }

  /**
   * Sets the principal once authentication established it; for Courier's server (an {@link
   * Authenticator} returns the principal instead).
   */
  void principal(Principal principal) {
    this.principal = principal;
  }

  /** The response metadata a server call sends; {@code null} for queue calls. For Courier's server. */
  ResponseMetadata response() {
    return response;
  }

  private ResponseMetadata responseMetadata(String what) {
    if (response == null) {
      throw new IllegalStateException(what + " on " + fullMethodName + ": a " + transport.name().toLowerCase(Locale.ROOT)
          + " call carries no response metadata to its caller; put the value in the response message");
    }
    return response;
  }

  static Metadata.Key<String> textKey(String name) {
    Objects.requireNonNull(name, "name");
    if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
      throw new IllegalArgumentException("Header " + name + " ends in -bin, so its value is binary: use the byte[] variant");
    }
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }

  static Metadata.Key<byte[]> binaryKey(String name) {
    Objects.requireNonNull(name, "name");
    if (!name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
      throw new IllegalArgumentException("Binary header " + name + " must end in -bin, as gRPC requires");
    }
    return Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER);
  }

  @Override
  public String toString() {
    return "CallContext[" + fullMethodName + " over " + transport
        + (peerAddress != null ? " from " + peerAddress : "")
        + (principal != null ? ", " + principal : "")
        + (peerIdentity != null ? ", tls " + peerIdentity.subject() : "")
        + (deadline != null ? ", " + deadline.timeRemaining(TimeUnit.MILLISECONDS) + " ms left" : "")
        + ", headers " + new TreeSet<>(requestHeaders.keys()) + "]";
  }

  /** Builds a {@link CallContext}: for Courier's server and workers, and for tests of service methods. */
  public static final class Builder {
    private final String fullMethodName;
    private Transport transport = Transport.GRPC;
    /** {@code null} until set or added to: most queue calls carry none. */
    private Metadata headers;
    private SocketAddress peerAddress;
    private PeerIdentity peerIdentity;
    private Deadline deadline;
    private Principal principal;

    private Builder(String fullMethodName) {
      Objects.requireNonNull(fullMethodName, "fullMethodName");
      int slash = fullMethodName.indexOf('/');
      if (slash <= 0 || slash == fullMethodName.length() - 1) {
        throw new IllegalArgumentException("fullMethodName \"" + fullMethodName + "\": expected package.Service/Method");
      }
      this.fullMethodName = fullMethodName;
    }

    /** A queue call: no response metadata (its setters throw). Default: a gRPC call. */
    public Builder queue() {
      this.transport = Transport.QUEUE;
      return this;
    }

    /** The request metadata (used as given; not copied). */
    public Builder metadata(Metadata headers) {
      this.headers = Objects.requireNonNull(headers, "headers");
      return this;
    }

    /** Adds a text request header. */
    public Builder header(String name, String value) {
      if (headers == null) {
        headers = new Metadata();
      }
      headers.put(textKey(name), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder peerAddress(SocketAddress address) {
      this.peerAddress = address;
      return this;
    }

    public Builder peerIdentity(PeerIdentity identity) {
      this.peerIdentity = identity;
      return this;
    }

    /** The caller's deadline; {@code null} for none. */
    public Builder deadline(Deadline deadline) {
      this.deadline = deadline;
      return this;
    }

    /** The caller's deadline as time left from now. */
    public Builder remaining(Duration remaining) {
      this.deadline = Deadline.after(remaining.toNanos(), TimeUnit.NANOSECONDS);
      return this;
    }

    public Builder principal(Principal principal) {
      this.principal = principal;
      return this;
    }

    public CallContext build() {
      return new CallContext(this);
    }
  }
}
