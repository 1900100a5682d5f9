package dev.courier.runtime.server;

import com.google.protobuf.Descriptors;
import dev.courier.options.CourierOptionsProto;
import dev.courier.runtime.context.Authenticator;
import dev.courier.runtime.context.CallContextInterceptor;
import dev.courier.runtime.context.MethodAccess;
import dev.courier.runtime.observe.CourierListener;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may call what on one server: the authenticator, and per method the access rules, taken in
 * this order: {@code CourierServer.Builder.allow} for the method, then for its service; the
 * method's {@code allow} in the {@code .proto}, then its service's; then the server's default
 * ({@code authenticated} once there is an authenticator, open without one). Immutable.
 *
 * @param authenticator who the caller is; {@code null} for none
 * @param overrides rules set in the builder, by full method name or service name
 * @param defaultRules for methods with no rules anywhere; {@code null}: {@code authenticated} with
 *     an authenticator, open without
 * @param listener told of refused calls
 */
record ServerAccess(Authenticator authenticator, Map<String, List<String>> overrides, List<String> defaultRules,
    CourierListener listener) {

  ServerAccess {
    overrides = Map.copyOf(overrides);
    defaultRules = defaultRules == null ? null : List.copyOf(defaultRules);
  }

  /** The interceptor that gives {@code service}'s calls their context and applies its rules. */
  ServerInterceptor interceptorFor(ServerServiceDefinition service) {
    Map<String, MethodAccess> rules = new HashMap<>();
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      MethodAccess access = rulesOf(method);
      if (access != null) {
        rules.put(access.fullMethodName(), access);
      }
    }
    return new CallContextInterceptor(authenticator, rules,
        (method, status) -> listener.onCallRefused(method, status.getCode()));
  }

  /** The interceptor of the standard services (health, reflection): a context, no authentication. */
  static ServerInterceptor standardServices() {
    return new CallContextInterceptor(null, Map.of(), (method, status) -> { });
  }

  /**
   * Checks that every override names an added method or service, and that a method whose rules
   * need an authenticated caller has an authenticator to establish one.
   *
   * @throws IllegalStateException naming the method, its rules and where they were declared
   */
  void check(List<ServerServiceDefinition> services) {
    Map<String, Boolean> known = new LinkedHashMap<>();
    for (ServerServiceDefinition service : services) {
      known.put(service.getServiceDescriptor().getName(), true);
      for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
        known.put(method.getMethodDescriptor().getFullMethodName(), true);
        MethodAccess access = rulesOf(method);
        if (authenticator == null && access != null && access.needsAuthentication()) {
          throw new IllegalStateException(access.fullMethodName() + " allows only " + access.rules() + " ("
              + access.source() + "), but the server has no authenticator to tell who calls:"
              + " set CourierServer.Builder.authenticator(...), or allow \"anyone\"");
        }
      }
    }
    for (String name : overrides.keySet()) {
      if (!known.containsKey(name)) {
        throw new IllegalStateException("allow: no added service or method is named " + name
            + " (expected: one of " + known.keySet() + ")");
      }
    }
  }

  private MethodAccess rulesOf(ServerMethodDefinition<?, ?> definition) {
    String method = definition.getMethodDescriptor().getFullMethodName();
    String service = method.substring(0, method.indexOf('/'));
    if (overrides.containsKey(method)) {
      return MethodAccess.parse(method, overrides.get(method), "CourierServer.Builder.allow(\"" + method + "\")");
    }
    if (overrides.containsKey(service)) {
      return MethodAccess.parse(method, overrides.get(service), "CourierServer.Builder.allow(\"" + service + "\")");
    }
    MethodAccess declared = declared(definition);
    if (declared != null) {
      return declared;
    }
    if (defaultRules != null) {
      return MethodAccess.parse(method, defaultRules, "CourierServer.Builder.defaultAllow");
    }
    return authenticator == null ? null
        : MethodAccess.parse(method, List.of("authenticated"), "the default once a server has an authenticator");
  }

  /** The {@code allow} rules in the method's {@code .proto}, or its service's; {@code null} for none. */
  private static MethodAccess declared(ServerMethodDefinition<?, ?> definition) {
    Object schema = definition.getMethodDescriptor().getSchemaDescriptor();
    if (!(schema instanceof ProtoMethodDescriptorSupplier supplier)) {
      return null; // not bound from a .proto with descriptors: nothing declared
    }
    Descriptors.MethodDescriptor method = supplier.getMethodDescriptor();
    String name = definition.getMethodDescriptor().getFullMethodName();
    String file = method.getFile().getName();
    List<String> methodRules = method.getOptions().getExtension(CourierOptionsProto.method).getAllowList();
    if (!methodRules.isEmpty()) {
      return MethodAccess.parse(name, methodRules, file + ", " + method.getName() + " (courier.method).allow");
    }
    List<String> serviceRules = method.getService().getOptions().getExtension(CourierOptionsProto.service).getAllowList();
    if (!serviceRules.isEmpty()) {
      return MethodAccess.parse(name, serviceRules, file + ", " + method.getService().getName() + " (courier.service).allow");
    }
    return null;
  }
}
