package dev.courier.runtime.discovery;

import com.google.protobuf.StringValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.retry.RetryPolicy;
import dev.courier.runtime.server.CourierServer;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Test helpers for discovery: real Courier servers on 127.0.0.1 answering {@code test.Echo/Who}
 * with their own name, a client that follows a source, and a source wrapper that records what
 * the client's endpoint set was given.
 */
public final class EchoFleet {
  public static final String SERVICE = "test.Echo";
  public static final MethodDescriptor<StringValue, StringValue> WHO = MethodDescriptor.<StringValue, StringValue>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Who"))
      .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
      .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
      .build();
  /** Idempotent with retries, so a call that meets a dead server goes to another one. */
  public static final RpcMethod<StringValue, StringValue> WHO_CALL = RpcMethod.of(WHO, MethodPolicy.builder()
      .idempotent(true)
      .retry(RetryPolicy.builder().maxAttempts(4).initialBackoff(Duration.ofMillis(10)).build())
      .build());

  private EchoFleet() {}

  /** A server named {@code name}, listening on 127.0.0.1, registered in {@code registry}. */
  public static CourierServer server(String name, ServiceRegistry registry) {
    ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
        .addMethod(WHO, ServerCalls.asyncUnaryCall((request, responses) -> {
          responses.onNext(StringValue.of(name));
          responses.onCompleted();
        }))
        .build();
    return CourierServer.builder()
        .address("127.0.0.1", 0)
        .addService(service)
        .gracePeriod(Duration.ofMillis(200))
        .registerIn(registry)
        .start();
  }

  /** A client of {@link #SERVICE} following {@code source}, round robin. */
  public static ClientRuntime client(EndpointSource source) {
    return ClientBuilder.forService(SERVICE, runtime -> runtime).endpointSource(source).build();
  }

  /** The names of the servers that answered {@code calls} calls. */
  public static Set<String> whoAnswers(ClientRuntime client, int calls) {
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < calls; i++) {
      names.add(client.blockingUnary(WHO_CALL, StringValue.of("who")).getValue());
    }
    return names;
  }

  /**
   * Waits until calls reach exactly the servers named {@code names} (a server that just joined may
   * still be connecting, or briefly ejected after a failed first attempt); fails after 10 s.
   */
  public static void awaitAnswers(ClientRuntime client, String... names) {
    Set<String> expected = new TreeSet<>(List.of(names));
    AtomicReference<Set<String>> seen = new AtomicReference<>();
    try {
      await(Duration.ofSeconds(10), "answers from " + expected, () -> {
        seen.set(whoAnswers(client, 4 * names.length));
        return seen.get().equals(expected);
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last answers from " + seen.get(), e);
    }
  }

  public static Endpoint endpoint(CourierServer server) {
    return Endpoint.of("127.0.0.1", server.port());
  }

  /**
   * Waits until {@code condition} holds, checking it every 20 ms; fails after {@code timeout}.
   * Returns the time it took. For conditions on what a backend delivered or who answers, which
   * nothing signals to a test.
   */
  public static Duration await(Duration timeout, String what, BooleanSupplier condition) {
    long start = System.nanoTime();
    long end = start + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      try {
        // Not a latch: the conditions polled here (the set a backend delivered, which servers
        // answer) come from ZooKeeper, Consul and grpc's threads with no hook to signal a test;
        // this is the pause between two checks, not a wait for something assumed to happen.
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Passes a source through and records every set it delivers. Thread-safe. */
  public static final class Recording implements EndpointSource {
    private final EndpointSource delegate;
    private final AtomicReference<List<Endpoint>> last = new AtomicReference<>();
    private final List<List<Endpoint>> history = new CopyOnWriteArrayList<>();

    public Recording(EndpointSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public AutoCloseable subscribe(Listener listener) {
      return delegate.subscribe(endpoints -> {
        last.set(endpoints);
        history.add(endpoints);
        listener.onEndpoints(endpoints);
      });
    }

    /** The ports of the last delivered set, or {@code null} before the first. */
    public Set<Integer> ports() {
      List<Endpoint> now = last.get();
      if (now == null) {
        return null;
      }
      Set<Integer> ports = new TreeSet<>();
      now.forEach(e -> ports.add(e.port()));
      return ports;
    }

    public List<List<Endpoint>> history() {
      return List.copyOf(history);
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }

  /** A registry whose registrations are never closed once {@code crashed} is set: a dead process. */
  public static ServiceRegistry crashable(ServiceRegistry registry, AtomicBoolean crashed) {
    return (name, endpoint) -> {
      ServiceRegistry.Registration registration = registry.register(name, endpoint);
      return () -> {
        if (!crashed.get()) {
          registration.close();
        }
      };
    };
  }

  /** The ports of {@code servers}. */
  public static Set<Integer> ports(CourierServer... servers) {
    Set<Integer> ports = new TreeSet<>();
    for (CourierServer server : servers) {
      ports.add(server.port());
    }
    return ports;
  }
}
