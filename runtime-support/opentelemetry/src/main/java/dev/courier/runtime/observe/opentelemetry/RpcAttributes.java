package dev.courier.runtime.observe.opentelemetry;

import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;

/**
 * The attribute sets of one method under one {@link SemanticConventions} version, built once:
 * the method's own, and the method's with each status code. Immutable.
 */
final class RpcAttributes {
  static final AttributeKey<String> RPC_SYSTEM_NAME = AttributeKey.stringKey("rpc.system.name");
  static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  static final AttributeKey<String> RPC_RESPONSE_STATUS_CODE = AttributeKey.stringKey("rpc.response.status_code");
  static final AttributeKey<Long> RPC_GRPC_STATUS_CODE = AttributeKey.longKey("rpc.grpc.status_code");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

  private static final Status.Code[] CODES = Status.Code.values();

  final String method;
  final Attributes rpc;
  private final Attributes[] byCode = new Attributes[CODES.length];

  /** {@code fullMethod} is {@code pkg.Service/Method} (or {@code _OTHER}); {@code system} is {@code grpc}, .... */
  RpcAttributes(SemanticConventions conventions, String system, String fullMethod) {
    this.method = fullMethod;
    AttributesBuilder b = Attributes.builder();
    if (conventions.stable()) {
      b.put(RPC_SYSTEM_NAME, system).put(RPC_METHOD, fullMethod);
    }
    if (conventions.old()) {
      int slash = fullMethod.lastIndexOf('/');
      b.put(RPC_SYSTEM, system);
      if (slash > 0) {
        b.put(RPC_SERVICE, fullMethod.substring(0, slash));
      }
      // The old conventions name the method alone; under BOTH the stable full name wins the shared key.
      if (!conventions.stable()) {
        b.put(RPC_METHOD, slash > 0 ? fullMethod.substring(slash + 1) : fullMethod);
      }
    }
    rpc = b.build();
    for (Status.Code code : CODES) {
      byCode[code.ordinal()] = withStatus(conventions, rpc.toBuilder(), code).build();
    }
  }

  /** The method's attributes with {@code code}. */
  Attributes status(Status.Code code) {
    return byCode[code.ordinal()];
  }

  /** Puts the status code attributes of {@code conventions} into {@code b}. */
  static AttributesBuilder withStatus(SemanticConventions conventions, AttributesBuilder b, Status.Code code) {
    if (conventions.stable()) {
      b.put(RPC_RESPONSE_STATUS_CODE, code.name());
    }
    if (conventions.old()) {
      b.put(RPC_GRPC_STATUS_CODE, (long) code.value());
    }
    return b;
  }

  /** {@code server.address} and {@code server.port} of {@code host:port} (an IPv6 host in brackets). */
  static Attributes server(String authority) {
    int colon = authority.lastIndexOf(':');
    if (colon <= 0 || authority.endsWith("]")) {
      return Attributes.of(SERVER_ADDRESS, authority);
    }
    String host = authority.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return Attributes.of(SERVER_ADDRESS, host, SERVER_PORT, Long.parseLong(authority.substring(colon + 1)));
    } catch (NumberFormatException e) {
      return Attributes.of(SERVER_ADDRESS, authority);
    }
  }
}
