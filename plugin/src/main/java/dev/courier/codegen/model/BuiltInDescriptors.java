package dev.courier.codegen.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;

/**
 * protobuf-java's own linked descriptor of {@code google/protobuf/descriptor.proto}, used instead of
 * parsing and linking protoc's copy when that copy is the same, byte for byte (without its source
 * info). protobuf-java builds it anyway, to parse any descriptor at all; building protoc's copy a
 * second time (14 KB of descriptors, the largest import of most builds) costs a cold JVM tens of
 * milliseconds. A copy from another protoc version differs and is parsed and linked as before.
 * Stateless.
 */
final class BuiltInDescriptors {
  private static final FileDescriptor DESCRIPTOR_PROTO = DescriptorProtos.getDescriptor();

  private BuiltInDescriptors() {}

  /**
   * protobuf-java's own proto of the file whose descriptor, source info cut out, is {@code bytes},
   * or {@code null} when it has none that is the same.
   */
  static FileDescriptorProto sameAs(ByteString bytes) {
    FileDescriptorProto builtIn = DESCRIPTOR_PROTO.toProto();
    // The size first: it rules out every other file of the set without serializing anything.
    if (bytes.size() != builtIn.getSerializedSize() || !bytes.equals(builtIn.toByteString())) {
      return null;
    }
    return builtIn;
  }

  /** protobuf-java's linked descriptor of {@code proto} when {@code proto} is one of {@link #sameAs}'s, else {@code null}. */
  static FileDescriptor linked(FileDescriptorProto proto) {
    return proto == DESCRIPTOR_PROTO.toProto() ? DESCRIPTOR_PROTO : null;
  }
}
