package dev.courier.codegen.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The source locations of every file of a descriptor set, by path, each parsed from protoc's
 * bytes only when first asked for: most of a descriptor set is source info (Pub/Sub's: 276 of
 * 323 KB), most of it of imports such as {@code google/protobuf/descriptor.proto} whose comments
 * and lines no build reads. Thread-safe: the Java sources and the docs ask from two threads.
 *
 * @since 0.1.0
 */
public final class SourceIndex {
  private static final SourceLocations NONE = SourceLocations.of(SourceCodeInfo.getDefaultInstance());

  private final Map<String, ByteString> unparsed;
  private final Map<String, SourceLocations> parsed = new ConcurrentHashMap<>();

  /**
   * @param unparsed each file's serialized {@code SourceCodeInfo}, by path
   * @param alreadyParsed files whose source info was parsed already, by path
   */
  SourceIndex(Map<String, ByteString> unparsed, Map<String, SourceCodeInfo> alreadyParsed) {
    this.unparsed = Map.copyOf(unparsed);
    for (Map.Entry<String, SourceCodeInfo> file : alreadyParsed.entrySet()) {
      parsed.put(file.getKey(), SourceLocations.of(file.getValue()));
    }
  }

  /** The locations of {@code file}, or none when protoc gave the file no source info. */
  public SourceLocations of(String file) {
    SourceLocations known = parsed.get(file);
    if (known != null) {
      return known;
    }
    ByteString bytes = unparsed.get(file);
    if (bytes == null) {
      return NONE;
    }
    // Parsed twice at worst, when both threads ask at once; either result is the same.
    SourceLocations locations = parse(file, bytes);
    SourceLocations earlier = parsed.putIfAbsent(file, locations);
    return earlier != null ? earlier : locations;
  }

  private static SourceLocations parse(String file, ByteString bytes) {
    try {
      return SourceLocations.parse(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(file + ": protoc's source info cannot be read: " + e.getMessage(), e);
    }
  }
}
