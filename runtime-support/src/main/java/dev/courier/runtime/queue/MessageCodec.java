package dev.courier.runtime.queue;

import com.google.protobuf.MessageLite;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Turns request and response messages into queue bodies and back, with the method's marshallers. */
final class MessageCodec {
  private MessageCodec() {}

  static <T> byte[] encode(MethodDescriptor.Marshaller<T> marshaller, T message) {
    if (message instanceof MessageLite lite) {
      return lite.toByteArray();
    }
    try (InputStream in = marshaller.stream(message)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decodes {@code body}; throws a {@code StatusRuntimeException} when it cannot. */
  static <T> T decode(MethodDescriptor.Marshaller<T> marshaller, byte[] body) {
    T message = marshaller.parse(new ByteArrayInputStream(body));
    if (message == null) {
      throw Status.INTERNAL.withDescription("marshaller returned null").asRuntimeException();
    }
    return message;
  }
}
