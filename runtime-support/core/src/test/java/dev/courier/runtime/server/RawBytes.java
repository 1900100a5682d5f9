package dev.courier.runtime.server;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/** Sends and receives the bytes as they are: for tests that put malformed requests on the wire. */
enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
  INSTANCE;

  /** A unary method {@code fullMethodName} whose requests and responses are raw bytes. */
  static MethodDescriptor<byte[], byte[]> method(String fullMethodName) {
    return method(fullMethodName, MethodDescriptor.MethodType.UNARY);
  }

  /** A method {@code fullMethodName} of {@code type} whose requests and responses are raw bytes. */
  static MethodDescriptor<byte[], byte[]> method(String fullMethodName, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(type)
        .setFullMethodName(fullMethodName)
        .setRequestMarshaller(INSTANCE)
        .setResponseMarshaller(INSTANCE)
        .build();
  }

  /** Sends {@code body} as one unary request of {@code fullMethodName}; the status the call ended with. */
  static Status send(Channel channel, String fullMethodName, byte[] body) {
    try {
      ClientCalls.blockingUnaryCall(channel, method(fullMethodName),
          CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), body);
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  @Override
  public InputStream stream(byte[] value) {
    return new ByteArrayInputStream(value);
  }

  @Override
  public byte[] parse(InputStream stream) {
    try {
      return stream.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
