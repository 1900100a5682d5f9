package dev.courier.runtime;

import io.grpc.MethodDescriptor;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One rpc as a generated client sees it: the gRPC method descriptor, the policy declared in the
 * {@code .proto}, and (when the method declares a {@code hash_key}) a function that reads the key
 * from a request with direct getters.
 *
 * <p>Immutable and thread-safe; generated code keeps one instance per method in a static field.
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 */
public final class RpcMethod<ReqT, RespT> {
  private final MethodDescriptor<ReqT, RespT> descriptor;
  private final MethodPolicy policy;
  private final Function<? super ReqT, String> hashKey;

  private RpcMethod(
      MethodDescriptor<ReqT, RespT> descriptor,
      MethodPolicy policy,
      Function<? super ReqT, String> hashKey) {
    this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.hashKey = hashKey;
  }

  /** A method without a hash key. */
  public static <ReqT, RespT> RpcMethod<ReqT, RespT> of(
      MethodDescriptor<ReqT, RespT> descriptor, MethodPolicy policy) {
    return new RpcMethod<>(descriptor, policy, null);
  }

  /** A method whose requests carry a hash key, read by {@code hashKey}. */
  public static <ReqT, RespT> RpcMethod<ReqT, RespT> of(
      MethodDescriptor<ReqT, RespT> descriptor,
      MethodPolicy policy,
      Function<? super ReqT, String> hashKey) {
    return new RpcMethod<>(descriptor, policy, Objects.requireNonNull(hashKey, "hashKey"));
  }

  public MethodDescriptor<ReqT, RespT> descriptor() {
    return descriptor;
  }

  /** The full gRPC name, {@code package.Service/Method}. */
  public String fullName() {
    return descriptor.getFullMethodName();
  }

  /** The policy declared in the {@code .proto} (before run-time overrides). */
  public MethodPolicy policy() {
    return policy;
  }

  /** The request's hash key, or empty when the method declares none. */
  public Optional<String> hashKeyOf(ReqT request) {
    return hashKey == null ? Optional.empty() : Optional.ofNullable(hashKey.apply(request));
  }

  /** Whether the method declares a hash key. */
  public boolean hasHashKey() {
    return hashKey != null;
  }

  /** A copy with another policy; used to apply run-time overrides. */
  public RpcMethod<ReqT, RespT> withPolicy(MethodPolicy newPolicy) {
    return new RpcMethod<>(descriptor, newPolicy, hashKey);
  }

  @Override
  public String toString() {
    return "RpcMethod{" + fullName() + ", " + policy + '}';
  }
}
