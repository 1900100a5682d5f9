package dev.courier.codegen.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo.Location;
import org.junit.jupiter.api.Test;

class SourceLocationsTest {

  private static Location location(String leading, String trailing, int line, int... path) {
    Location.Builder b = Location.newBuilder().addSpan(line).addSpan(0).addSpan(10);
    for (int p : path) {
      b.addPath(p);
    }
    if (leading != null) {
      b.setLeadingComments(leading);
    }
    if (trailing != null) {
      b.setTrailingComments(trailing);
    }
    return b.build();
  }

  private static final SourceCodeInfo INFO = SourceCodeInfo.newBuilder()
      .addLocation(location(" The service.\n", null, 4, 6, 0))
      .addLocation(location(null, " after the method\n", 7, 6, 0, 2, 1))
      .addLocation(location(" a second location of the same path\n", null, 9, 6, 0))
      .addLocation(location("", " an empty leading comment wins, as protobuf's hasLeadingComments says\n", 11, 4, 2))
      .addLocation(Location.newBuilder().addPath(4).addPath(3).setLeadingComments(" no span\n").build())
      .addLocation(location(" beyond eight path elements\n", null, 12, 4, 0, 3, 1, 2, 0, 4, 1, 2, 7, 6, 2))
      .build();

  private static final SourceLocations LOCATIONS = SourceLocations.of(INFO);

  @Test
  void findsTheLineAndTheLeadingCommentOfAPath() {
    assertThat(LOCATIONS.line(6, 0)).isEqualTo(5);
    assertThat(LOCATIONS.rawComment(6, 0)).isEqualTo(" The service.\n");
  }

  @Test
  void fallsBackToTheTrailingComment() {
    assertThat(LOCATIONS.rawComment(6, 0, 2, 1)).isEqualTo(" after the method\n");
  }

  @Test
  void aPathWithoutALocationHasLineZeroAndNoComment() {
    assertThat(LOCATIONS.line(6, 1)).isZero();
    assertThat(LOCATIONS.rawComment(6, 0, 2)).isEmpty();
  }

  @Test
  void theBytesReadAsTheParsedMessage() throws Exception {
    SourceLocations read = SourceLocations.parse(INFO.toByteString());

    for (Location location : INFO.getLocationList()) {
      int[] path = location.getPathList().stream().mapToInt(Integer::intValue).toArray();
      assertThat(read.line(path)).as(location.getPathList().toString()).isEqualTo(LOCATIONS.line(path));
      assertThat(read.rawComment(path)).as(location.getPathList().toString()).isEqualTo(LOCATIONS.rawComment(path));
    }
    assertThat(read.line(6, 0)).isEqualTo(5);
    assertThat(read.rawComment(6, 0)).isEqualTo(" The service.\n");
    assertThat(read.rawComment(4, 2)).isEmpty();
    assertThat(read.line(4, 3)).isZero();
    assertThat(read.rawComment(4, 3)).isEqualTo(" no span\n");
    assertThat(read.line(4, 0, 3, 1, 2, 0, 4, 1, 2, 7, 6, 2)).isEqualTo(13);
    assertThat(read.line(6, 1)).isZero();
  }

  @Test
  void unpackedPathsAndSpansReadAsPacked() throws Exception {
    // protoc packs them; a set written by another tool may not: path 6 0, span 3 0 10, unpacked.
    byte[] location = {0x08, 6, 0x08, 0, 0x10, 3, 0x10, 0, 0x10, 10, 0x1a, 2, 'h', 'i'};
    byte[] info = new byte[location.length + 2];
    info[0] = 0x0a;
    info[1] = (byte) location.length;
    System.arraycopy(location, 0, info, 2, location.length);

    SourceLocations read = SourceLocations.parse(com.google.protobuf.ByteString.copyFrom(info));

    assertThat(read.line(6, 0)).isEqualTo(4);
    assertThat(read.rawComment(6, 0)).isEqualTo("hi");
    assertThat(SourceCodeInfo.parseFrom(info).getLocation(0).getPathList()).containsExactly(6, 0);
  }
}
