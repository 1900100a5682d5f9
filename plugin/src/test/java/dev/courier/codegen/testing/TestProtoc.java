package dev.courier.codegen.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the real protoc (copied from Maven Central into target/ by the build) over test protos:
 * the descriptor set Courier reads, and protoc's own Java for the messages.
 */
public final class TestProtoc {
  private static final String[] WELL_KNOWN = {
      "google/protobuf/empty.proto", "google/protobuf/descriptor.proto", "google/protobuf/timestamp.proto",
      "google/protobuf/duration.proto", "google/protobuf/wrappers.proto", "google/protobuf/any.proto",
      "google/protobuf/struct.proto", "google/protobuf/field_mask.proto", "google/protobuf/java_features.proto",
      "google/protobuf/cpp_features.proto"};

  private TestProtoc() {}

  /** The result of one protoc run. */
  public record Output(FileDescriptorSet descriptorSet, Path javaOut, List<String> files) {}

  public static Output run(Path root, Path work, String... files) throws IOException, InterruptedException {
    Path includes = work.resolve("includes");
    copyResources(includes);
    Path javaOut = Files.createDirectories(work.resolve("java"));
    Path set = work.resolve("set.pb");
    List<String> command = new ArrayList<>(List.of(
        protoc().toString(), "-I" + root, "-I" + includes,
        "--descriptor_set_out=" + set, "--include_imports", "--include_source_info",
        "--java_out=" + javaOut));
    command.addAll(List.of(files));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("protoc: %s", log).isZero();
    return new Output(FileDescriptorSet.parseFrom(Files.readAllBytes(set)), javaOut, List.of(files));
  }

  public static Path protoc() throws IOException {
    String configured = System.getProperty("courier.test.protoc");
    Path path = configured != null ? Paths.get(configured)
        : Paths.get(System.getProperty("user.home"), ".m2/repository/com/google/protobuf/protoc/4.36.2/protoc-4.36.2-linux-x86_64.exe");
    assertThat(path).as("protoc for tests (set courier.test.protoc)").exists();
    path.toFile().setExecutable(true);
    return path;
  }

  private static void copyResources(Path includes) throws IOException {
    List<String> names = new ArrayList<>(List.of(WELL_KNOWN));
    names.add("courier/options.proto");
    for (String name : names) {
      try (InputStream in = TestProtoc.class.getClassLoader().getResourceAsStream(name)) {
        if (in == null) {
          continue;
        }
        Path target = includes.resolve(name);
        Files.createDirectories(target.getParent());
        Files.write(target, in.readAllBytes());
      }
    }
  }
}
