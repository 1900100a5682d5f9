package dev.courier.codegen.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo.Location;
import dev.courier.codegen.testing.TestProtoc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** protoc's real descriptor set, read with the source info split off, against protobuf's own parse. */
class ProtocDescriptorsTest {
  @TempDir Path work;

  @Test
  void parsedFilesAreProtobufsOwnWithoutSourceInfoAndTheirLocationsAreTheSame() throws Exception {
    FileDescriptorSet whole = TestProtoc.run(Paths.get("src/test/resources/protos/golden"), work, "shop/inventory.proto")
        .descriptorSet();

    ProtocDescriptors split = ProtocDescriptors.parse(Files.readAllBytes(work.resolve("set.pb")));

    assertThat(split.files()).hasSize(whole.getFileCount());
    for (int i = 0; i < whole.getFileCount(); i++) {
      FileDescriptorProto file = whole.getFile(i);
      assertThat(split.files().get(i)).isEqualTo(file.toBuilder().clearSourceCodeInfo().build());
      assertThat(file.getSourceCodeInfo().getLocationCount()).as(file.getName()).isPositive();
      SourceLocations expected = SourceLocations.of(file.getSourceCodeInfo());
      SourceLocations actual = split.sources().of(file.getName());
      for (Location location : file.getSourceCodeInfo().getLocationList()) {
        int[] path = location.getPathList().stream().mapToInt(Integer::intValue).toArray();
        assertThat(actual.line(path)).isEqualTo(expected.line(path));
        assertThat(actual.rawComment(path)).isEqualTo(expected.rawComment(path));
      }
    }
    assertThat(split.sources().of("not/in/the/set.proto").line(6, 0)).isZero();
  }

  @Test
  void anAlreadyParsedSetKeepsItsLocations() throws Exception {
    FileDescriptorSet whole = TestProtoc.run(Paths.get("src/test/resources/protos/golden"), work, "shop/inventory.proto")
        .descriptorSet();

    ProtocDescriptors read = ProtocDescriptors.of(whole);

    FileDescriptorProto inventory = whole.getFileList().stream()
        .filter(f -> f.getName().equals("shop/inventory.proto")).findFirst().orElseThrow();
    assertThat(read.sources().of("shop/inventory.proto").line(6, 0))
        .isEqualTo(SourceLocations.of(inventory.getSourceCodeInfo()).line(6, 0)).isPositive();
  }

  @Test
  void protocsDescriptorProtoIsProtobufsOwnWhenTheSameAndIsLinkedFromIt() throws Exception {
    FileDescriptorSet whole = TestProtoc.run(Paths.get("src/test/resources/protos/golden"), work, "shop/inventory.proto")
        .descriptorSet();
    FileDescriptorProto protocs = whole.getFileList().stream()
        .filter(f -> f.getName().equals("google/protobuf/descriptor.proto")).findFirst().orElseThrow();

    ProtocDescriptors split = ProtocDescriptors.parse(Files.readAllBytes(work.resolve("set.pb")));

    FileDescriptorProto read = split.files().stream()
        .filter(f -> f.getName().equals("google/protobuf/descriptor.proto")).findFirst().orElseThrow();
    assertThat(read).isSameAs(DescriptorProtos.getDescriptor().toProto())
        .isEqualTo(protocs.toBuilder().clearSourceCodeInfo().build());
    assertThat(split.sources().of("google/protobuf/descriptor.proto").line(4, 0)).isPositive();
    CodegenModel model = ModelReader.read(split, List.of("shop/inventory.proto"), Map.of());
    assertThat(model.files().get("google/protobuf/descriptor.proto")).isSameAs(DescriptorProtos.getDescriptor());
    assertThat(model.services()).isNotEmpty();
  }

  @Test
  void aDescriptorProtoOfAnotherVersionIsParsedAndLinkedItself() throws Exception {
    FileDescriptorProto other = DescriptorProtos.getDescriptor().toProto().toBuilder()
        .addMessageType(DescriptorProto.newBuilder().setName("FromANewerProtoc")).build();

    ProtocDescriptors split = ProtocDescriptors.parse(FileDescriptorSet.newBuilder().addFile(other).build().toByteArray());

    assertThat(split.files().get(0)).isNotSameAs(DescriptorProtos.getDescriptor().toProto()).isEqualTo(other);
    CodegenModel model = ModelReader.read(split, List.of(), Map.of());
    assertThat(model.files().get("google/protobuf/descriptor.proto").findMessageTypeByName("FromANewerProtoc"))
        .isNotNull();
  }
}
