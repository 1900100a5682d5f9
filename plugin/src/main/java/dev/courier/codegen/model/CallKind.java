package dev.courier.codegen.model;

/** The four shapes of a gRPC method. */
public enum CallKind {
  UNARY,
  SERVER_STREAMING,
  CLIENT_STREAMING,
  BIDI_STREAMING;

  static CallKind of(boolean clientStreaming, boolean serverStreaming) {
    if (clientStreaming) {
      return serverStreaming ? BIDI_STREAMING : CLIENT_STREAMING;
    }
    return serverStreaming ? SERVER_STREAMING : UNARY;
  }

  /** grpc-java's {@code MethodDescriptor.MethodType} constant name. */
  public String grpcMethodType() {
    return switch (this) {
      case UNARY -> "UNARY";
      case SERVER_STREAMING -> "SERVER_STREAMING";
      case CLIENT_STREAMING -> "CLIENT_STREAMING";
      case BIDI_STREAMING -> "BIDI_STREAMING";
    };
  }
}
