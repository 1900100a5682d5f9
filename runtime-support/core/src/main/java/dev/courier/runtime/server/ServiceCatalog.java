package dev.courier.runtime.server;

import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.status.ServiceView;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * The services of a server as the status page lists them: each method with the policy it
 * declares in the {@code .proto}, read from the handlers {@link ServiceBindings} made (services
 * bound otherwise show none).
 */
final class ServiceCatalog {
  private ServiceCatalog() {}

  static List<ServiceView> of(List<ServerServiceDefinition> services) {
    List<ServiceView> views = new ArrayList<>(services.size());
    for (ServerServiceDefinition service : services) {
      List<ServiceView.Method> methods = new ArrayList<>();
      for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
        RpcMethod<?, ?> declared = declared(method.getServerCallHandler());
        methods.add(new ServiceView.Method(method.getMethodDescriptor().getFullMethodName(),
            method.getMethodDescriptor().getType().name(), declared == null ? null : declared.policy(),
            declared != null && declared.hasHashKey()));
      }
      methods.sort((a, b) -> a.fullName().compareTo(b.fullName()));
      views.add(new ServiceView(service.getServiceDescriptor().getName(), methods));
    }
    return views;
  }

  /** The method as the {@code .proto} declares it, or {@code null} for a handler not bound by {@link ServiceBindings}. */
  private static RpcMethod<?, ?> declared(ServerCallHandler<?, ?> handler) {
    ServerCallHandler<?, ?> inner = handler instanceof ConcurrencyLimit<?, ?> limited ? limited.inner() : handler;
    return inner instanceof ServiceBindings.Declared<?, ?> declared ? declared.method() : null;
  }
}
