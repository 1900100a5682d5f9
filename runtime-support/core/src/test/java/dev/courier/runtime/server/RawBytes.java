package dev.courier.runtime.server;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

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
