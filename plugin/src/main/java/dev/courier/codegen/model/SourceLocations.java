package dev.courier.codegen.model;

import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
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
  private final Map<Key, SourceCodeInfo.Location> byPath;

  private SourceLocations(Map<Key, SourceCodeInfo.Location> byPath) {
    this.byPath = byPath;
  }

  /** Indexes every location of {@code info}. */
  public static SourceLocations of(SourceCodeInfo info) {
    Map<Key, SourceCodeInfo.Location> byPath = new HashMap<>(info.getLocationCount() * 2);
    for (SourceCodeInfo.Location location : info.getLocationList()) {
      int[] path = new int[location.getPathCount()];
      for (int i = 0; i < path.length; i++) {
        path[i] = location.getPath(i);
      }
      byPath.putIfAbsent(new Key(path), location);
    }
    return new SourceLocations(byPath);
  }

  /** The 1-based line where the element at {@code path} starts, or 0 when protoc gave none. */
  public int line(int... path) {
    SourceCodeInfo.Location location = byPath.get(new Key(path));
    return location == null || location.getSpanCount() == 0 ? 0 : location.getSpan(0) + 1;
  }

  /** The element's leading comment, else its trailing one, as protoc wrote it; empty when none. */
  public String rawComment(int... path) {
    SourceCodeInfo.Location location = byPath.get(new Key(path));
    if (location == null) {
      return "";
    }
    return location.hasLeadingComments() ? location.getLeadingComments() : location.getTrailingComments();
  }

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
