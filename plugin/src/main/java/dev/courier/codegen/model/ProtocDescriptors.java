package dev.courier.codegen.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * protoc's descriptor set as code generation reads it: every file's descriptor, and apart from
 * it, in a {@link SourceIndex}, the file's source info (comments and lines), left as bytes until a
 * file's locations are asked for. Immutable.
 *
 * @param files the files in the set's order (dependencies first), without their source info when
 *     {@link #parse parsed} from bytes
 * @param sources every file's source locations, by path
 * @since 0.1.0
 */
public record ProtocDescriptors(List<FileDescriptorProto> files, SourceIndex sources) {
  /** {@code FileDescriptorSet.file} (field 1) and {@code FileDescriptorProto.source_code_info} (9), length-delimited. */
  private static final int FILE_TAG = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int SOURCE_CODE_INFO_TAG = 9 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  public ProtocDescriptors {
    files = List.copyOf(files);
  }

  /** A set already parsed, as a protoc plugin receives it. */
  public static ProtocDescriptors of(FileDescriptorSet set) {
    Map<String, SourceCodeInfo> sources = new HashMap<>();
    for (FileDescriptorProto file : set.getFileList()) {
      if (file.hasSourceCodeInfo()) {
        sources.put(file.getName(), file.getSourceCodeInfo());
      }
    }
    return new ProtocDescriptors(set.getFileList(), new SourceIndex(Map.of(), sources));
  }

  /**
   * Reads the bytes of {@code --descriptor_set_out}, splitting each file's {@code source_code_info}
   * off unparsed.
   *
   * @throws InvalidProtocolBufferException when the bytes are not a descriptor set
   */
  public static ProtocDescriptors parse(byte[] descriptorSet) throws InvalidProtocolBufferException {
    List<FileDescriptorProto> files = new ArrayList<>();
    Map<String, ByteString> sources = new HashMap<>();
    try {
      CodedInputStream set = CodedInputStream.newInstance(descriptorSet);
      for (int tag = set.readTag(); tag != 0; tag = set.readTag()) {
        if (tag == FILE_TAG) {
          readFile(set.readBytes(), files, sources);
        } else {
          set.skipField(tag);
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
    return new ProtocDescriptors(files, new SourceIndex(sources, Map.of()));
  }

  /**
   * One {@code FileDescriptorProto}: every field but the source info parsed, that one kept as bytes.
   * The other fields are parsed from the file's bytes with the source info's range cut out (a rope
   * of two slices, no copy), unless they are protobuf-java's own {@code descriptor.proto}
   * ({@link BuiltInDescriptors}).
   */
  private static void readFile(ByteString bytes, List<FileDescriptorProto> files, Map<String, ByteString> sources)
      throws IOException {
    CodedInputStream in = bytes.newCodedInput();
    ByteString rest = ByteString.EMPTY;
    int keptFrom = 0;
    ByteString source = null;
    for (int start = in.getTotalBytesRead(), tag = in.readTag(); tag != 0;
        start = in.getTotalBytesRead(), tag = in.readTag()) {
      if (tag == SOURCE_CODE_INFO_TAG) {
        source = in.readBytes();
        rest = rest.concat(bytes.substring(keptFrom, start));
        keptFrom = in.getTotalBytesRead();
      } else {
        in.skipField(tag);
      }
    }
    rest = rest.concat(bytes.substring(keptFrom));
    FileDescriptorProto builtIn = BuiltInDescriptors.sameAs(rest);
    FileDescriptorProto file = builtIn != null ? builtIn : FileDescriptorProto.parseFrom(rest);
    files.add(file);
    if (source != null) {
      sources.put(file.getName(), source);
    }
  }
}
