package dev.courier.codegen.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The source locations of one {@code .proto} file, indexed by path, so that finding the line or
 * the comment of a service, method, message or field is one lookup: a large file (Pub/Sub's
 * {@code pubsub.proto} has about 2,800 locations) was otherwise scanned once per element. The
 * first location of a path wins, as a scan would find it. Immutable.
 *
 * @since 0.1.0
 */
public final class SourceLocations {
  /** {@code SourceCodeInfo.location} (field 1). */
  private static final int LOCATION = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  /** {@code Location}'s {@code path} (1) and {@code span} (2), packed or not, and its comments (3, 4). */
  private static final int PATH_PACKED = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int PATH = 1 << 3 | WireFormat.WIRETYPE_VARINT;
  private static final int SPAN_PACKED = 2 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int SPAN = 2 << 3 | WireFormat.WIRETYPE_VARINT;
  private static final int LEADING = 3 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int TRAILING = 4 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private final Map<Key, Location> byPath;

  private SourceLocations(Map<Key, Location> byPath) {
    this.byPath = byPath;
  }

  /** Indexes every location of {@code info}. */
  public static SourceLocations of(SourceCodeInfo info) {
    Map<Key, Location> byPath = new HashMap<>(info.getLocationCount() * 2);
    for (SourceCodeInfo.Location location : info.getLocationList()) {
      int[] path = new int[location.getPathCount()];
      for (int i = 0; i < path.length; i++) {
        path[i] = location.getPath(i);
      }
      byPath.putIfAbsent(new Key(path), new Location(
          location.getSpanCount() == 0 ? 0 : location.getSpan(0) + 1,
          location.hasLeadingComments() ? ByteString.copyFromUtf8(location.getLeadingComments()) : null,
          location.hasTrailingComments() ? ByteString.copyFromUtf8(location.getTrailingComments()) : null));
    }
    return new SourceLocations(byPath);
  }

  /**
   * Indexes the locations of a serialized {@code SourceCodeInfo}, reading of each only its path, its
   * first line and its comments (as bytes, decoded when asked for). Pub/Sub's {@code pubsub.proto}
   * has 117 KB of them; parsed as messages, every location was a {@code Location} with its lists,
   * builder and decoded strings, which in the cold JVM of a build cost more than the model they are
   * read for.
   *
   * @throws InvalidProtocolBufferException when the bytes are not a {@code SourceCodeInfo}
   */
  public static SourceLocations parse(ByteString sourceCodeInfo) throws InvalidProtocolBufferException {
    Map<Key, Location> byPath = new HashMap<>();
    try {
      CodedInputStream in = sourceCodeInfo.newCodedInput();
      in.enableAliasing(true);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag != LOCATION) {
          in.skipField(tag);
          continue;
        }
        int limit = in.pushLimit(in.readRawVarint32());
        readLocation(in, byPath);
        in.popLimit(limit);
      }
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
    return new SourceLocations(byPath);
  }

  private static void readLocation(CodedInputStream in, Map<Key, Location> byPath) throws IOException {
    int[] path = new int[8];
    int depth = 0;
    int line = 0;
    boolean spanRead = false;
    ByteString leading = null;
    ByteString trailing = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case PATH_PACKED -> {
          int limit = in.pushLimit(in.readRawVarint32());
          while (in.getBytesUntilLimit() > 0) {
            path = add(path, depth++, in.readInt32());
          }
          in.popLimit(limit);
        }
        case PATH -> path = add(path, depth++, in.readInt32());
        case SPAN_PACKED -> {
          int limit = in.pushLimit(in.readRawVarint32());
          if (!spanRead && in.getBytesUntilLimit() > 0) {
            line = in.readInt32() + 1;
            spanRead = true;
          }
          in.skipRawBytes(in.getBytesUntilLimit());
          in.popLimit(limit);
        }
        case SPAN -> {
          int start = in.readInt32();
          if (!spanRead) {
            line = start + 1;
            spanRead = true;
          }
        }
        case LEADING -> leading = in.readBytes();
        case TRAILING -> trailing = in.readBytes();
        default -> in.skipField(tag);
      }
    }
    byPath.putIfAbsent(new Key(Arrays.copyOf(path, depth)), new Location(line, leading, trailing));
  }

  private static int[] add(int[] path, int at, int value) {
    int[] room = at < path.length ? path : Arrays.copyOf(path, path.length * 2);
    room[at] = value;
    return room;
  }

  /** The 1-based line where the element at {@code path} starts, or 0 when protoc gave none. */
  public int line(int... path) {
    Location location = byPath.get(new Key(path));
    return location == null ? 0 : location.line();
  }

  /** The element's leading comment, else its trailing one, as protoc wrote it; empty when none. */
  public String rawComment(int... path) {
    Location location = byPath.get(new Key(path));
    if (location == null) {
      return "";
    }
    ByteString comment = location.leading() != null ? location.leading() : location.trailing();
    return comment == null ? "" : comment.toStringUtf8();
  }

  /**
   * What is kept of a location.
   *
   * @param line the 1-based first line, 0 when protoc gave no span
   * @param leading the leading comment's UTF-8, or {@code null} when it has none
   * @param trailing the trailing comment's UTF-8, or {@code null}
   */
  private record Location(int line, ByteString leading, ByteString trailing) {}

  /** An {@code int[]} path with value equality. */
  private record Key(int[] path) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key other && Arrays.equals(path, other.path);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(path);
    }

    @Override
    public String toString() {
      return Arrays.toString(path);
    }
  }
}
