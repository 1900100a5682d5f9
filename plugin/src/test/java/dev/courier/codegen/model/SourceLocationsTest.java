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

  private static final SourceLocations LOCATIONS = SourceLocations.of(SourceCodeInfo.newBuilder()
      .addLocation(location(" The service.\n", null, 4, 6, 0))
      .addLocation(location(null, " after the method\n", 7, 6, 0, 2, 1))
      .addLocation(location(" a second location of the same path\n", null, 9, 6, 0))
      .build());

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
}
