package dev.courier.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.codegen.testing.TestProtoc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * courier-runtime ships protoc's Java for {@code courier/options.proto} (users' message classes
 * link against it, and the runtime cannot use the plugin that is built after it). This test
 * regenerates it with the pinned protoc and fails when the committed copy has drifted; to refresh,
 * run protoc as {@link TestProtoc} does and copy {@code dev/courier/options} over.
 */
class OptionsJavaUpToDateTest {
  private static final Path PROTO_ROOT = Paths.get("../runtime-support/src/main/proto");
  private static final Path COMMITTED = Paths.get("../runtime-support/src/main/java/dev/courier/options");

  @TempDir Path work;

  @Test
  void committedOptionsClassesMatchProtocOutput() throws Exception {
    TestProtoc.Output out = TestProtoc.run(PROTO_ROOT, work, "courier/options.proto");
    Path generated = out.javaOut().resolve("dev/courier/options");
    List<Path> files;
    try (Stream<Path> list = Files.list(generated)) {
      files = list.sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      Path committed = COMMITTED.resolve(file.getFileName().toString());
      assertThat(committed).as("committed copy of %s", file.getFileName()).exists();
      assertThat(Files.readString(committed, StandardCharsets.UTF_8))
          .as("%s is stale: regenerate it from courier/options.proto", committed)
          .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
    try (Stream<Path> list = Files.list(COMMITTED)) {
      assertThat(list.count()).as("no extra files in %s", COMMITTED).isEqualTo(files.size());
    }
  }
}
