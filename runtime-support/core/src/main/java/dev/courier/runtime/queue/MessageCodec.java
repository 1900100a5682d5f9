package dev.courier.runtime.queue;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.grpc.KnownLength;
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

  /**
   * Decodes {@code body}; throws a {@code StatusRuntimeException} when it cannot. A protobuf
   * message (a marshaller with a protobuf prototype, as generated code has) is parsed from the
   * array by its own parser, as {@link #encode} writes it with {@code toByteArray()}: through the
   * marshaller it took a stream object, a thread-local lookup, a copy into that thread's buffer
   * and a decoder object that escaped, twice per call. (The one difference: grpc's experimental
   * {@code ProtoLiteUtils.setExtensionRegistry}, which Courier does not use, does not apply.)
   */
  static <T> T decode(MethodDescriptor.Marshaller<T> marshaller, byte[] body) {
    if (marshaller instanceof MethodDescriptor.PrototypeMarshaller<T> prototyped
        && prototyped.getMessagePrototype() instanceof MessageLite prototype) {
      try {
        @SuppressWarnings("unchecked") // the prototype is a T, so its parser makes Ts
        T message = (T) prototype.getParserForType().parseFrom(body);
        return message;
      } catch (InvalidProtocolBufferException e) {
        // As grpc's marshaller reports it.
        throw Status.INTERNAL.withDescription("Invalid protobuf byte sequence").withCause(e).asRuntimeException();
      }
    }
    T message = marshaller.parse(new Body(body));
    if (message == null) {
      throw Status.INTERNAL.withDescription("marshaller returned null").asRuntimeException();
    }
    return message;
  }

  /**
   * The body as a stream that says its length. grpc's protobuf marshaller then copies it into a
   * reused per-thread array and parses that; from a plain stream it would allocate and fill a 4 KB
   * buffer per message and parse through the slower streaming decoder (13% of the client's reply
   * thread under load). The marshaller still parses, so its extension registry and limits apply.
   */
  private static final class Body extends ByteArrayInputStream implements KnownLength {
    Body(byte[] body) {
      super(body);
    }
  }
}
