package dev.courier.runtime.queue;

import com.google.protobuf.Empty;
import com.google.protobuf.StringValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Hand-written methods on protobuf well-known types, and small test helpers. */
public final class TestMethods {
  /** {@code test.Echo/Echo}: the hash key is the text before the first {@code ':'}. */
  public static final RpcMethod<StringValue, StringValue> ECHO = RpcMethod.of(
      MethodDescriptor.<StringValue, StringValue>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("test.Echo/Echo")
          .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .build(),
      MethodPolicy.DEFAULT,
      req -> req.getValue().split(":", 2)[0]);

  /** {@code test.Echo/Notify}: fire-and-forget. */
  public static final RpcMethod<StringValue, Empty> NOTIFY = RpcMethod.of(
      MethodDescriptor.<StringValue, Empty>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("test.Echo/Notify")
          .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance()))
          .build(),
      MethodPolicy.DEFAULT);

  private TestMethods() {}

  public static StringValue text(String s) {
    return StringValue.of(s);
  }

  /**
   * Waits until {@code condition} holds, checking it every 10 ms; fails after {@code timeout}. For
   * conditions nothing signals (stats counters, records on a topic, a thread's state); where the
   * code under test can count down a latch, tests use the latch instead.
   */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        // Not a latch: the conditions polled here (counters of the runtimes, a thread's state)
        // have no notification to wait on; this is the pause between two checks, not a wait for
        // something assumed to have happened.
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
