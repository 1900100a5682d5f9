package dev.courier.codegen.java;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import dev.courier.codegen.model.TypeRef;
import java.util.List;

/** The classes generated code refers to. */
final class Types {
  static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
  static final ClassName STRING = ClassName.get(String.class);
  static final ClassName DURATION = ClassName.get("java.time", "Duration");
  static final ClassName COMPLETABLE_FUTURE = ClassName.get("java.util.concurrent", "CompletableFuture");
  static final ClassName STANDARD_CHARSETS = ClassName.get("java.nio.charset", "StandardCharsets");

  static final ClassName STREAM_OBSERVER = ClassName.get("io.grpc.stub", "StreamObserver");
  static final ClassName METHOD_DESCRIPTOR = ClassName.get("io.grpc", "MethodDescriptor");
  static final ClassName METHOD_TYPE = METHOD_DESCRIPTOR.nestedClass("MethodType");
  static final ClassName SERVICE_DESCRIPTOR = ClassName.get("io.grpc", "ServiceDescriptor");
  static final ClassName SERVER_SERVICE_DEFINITION = ClassName.get("io.grpc", "ServerServiceDefinition");
  static final ClassName PROTO_UTILS = ClassName.get("io.grpc.protobuf", "ProtoUtils");
  static final ClassName STATUS_CODE = ClassName.get("io.grpc", "Status", "Code");

  static final ClassName RPC_METHOD = ClassName.get("dev.courier.runtime", "RpcMethod");
  static final ClassName METHOD_POLICY = ClassName.get("dev.courier.runtime", "MethodPolicy");
  static final ClassName CLIENT_BUILDER = ClassName.get("dev.courier.runtime.client", "ClientBuilder");
  static final ClassName CLIENT_RUNTIME = ClassName.get("dev.courier.runtime.client", "ClientRuntime");
  static final ClassName RESPONSE_CAPTURE = ClassName.get("dev.courier.runtime.client", "ResponseCapture");
  static final ClassName METADATA = ClassName.get("io.grpc", "Metadata");
  static final ClassName PROTO_SCHEMA = ClassName.get("dev.courier.runtime", "ProtoSchema");
  static final ClassName RETRY_POLICY = ClassName.get("dev.courier.runtime.retry", "RetryPolicy");
  static final ClassName HEDGE_POLICY = ClassName.get("dev.courier.runtime.retry", "HedgePolicy");
  static final ClassName BALANCER_KIND = ClassName.get("dev.courier.runtime.balance", "BalancerKind");
  static final ClassName SERVICE_BINDINGS = ClassName.get("dev.courier.runtime.server", "ServiceBindings");
  static final ClassName COURIER_SERVER = ClassName.get("dev.courier.runtime.server", "CourierServer");
  static final ClassName COURIER_SERVER_BUILDER = COURIER_SERVER.nestedClass("Builder");
  static final ClassName IN_PROCESS = ClassName.get("dev.courier.runtime.server", "InProcess");
  static final ClassName QUEUE_TRANSPORT = ClassName.get("dev.courier.runtime.queue", "QueueTransport");
  static final ClassName QUEUE_CLIENT_RUNTIME = ClassName.get("dev.courier.runtime.queue", "QueueClientRuntime");
  static final ClassName QUEUE_WORKER_RUNTIME = ClassName.get("dev.courier.runtime.queue", "QueueWorkerRuntime");
  static final ClassName COURIER_LISTENER = ClassName.get("dev.courier.runtime.observe", "CourierListener");
  static final ClassName QUEUE_WORKER_BUILDER = QUEUE_WORKER_RUNTIME.nestedClass("Builder");

  /** java.lang types that generated code names; a same-package type by one of these names shadows it. */
  static final List<String> JAVA_LANG_USED = List.of(
      "String", "Override", "Deprecated", "SuppressWarnings", "AutoCloseable", "Void", "Object");

  private Types() {}

  static ClassName of(TypeRef ref) {
    List<String> names = ref.simpleNames();
    return ClassName.get(ref.packageName(), names.get(0), names.subList(1, names.size()).toArray(new String[0]));
  }

  static TypeName observerOf(TypeRef ref) {
    return ParameterizedTypeName.get(STREAM_OBSERVER, of(ref));
  }

  static TypeName rpcMethodOf(TypeRef request, TypeRef response) {
    return ParameterizedTypeName.get(RPC_METHOD, of(request), of(response));
  }
}
