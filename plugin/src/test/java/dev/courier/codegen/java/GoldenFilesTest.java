package dev.courier.codegen.java;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.codegen.GeneratedFile;
import dev.courier.codegen.model.ModelReader;
import dev.courier.codegen.testing.TestCompiler;
import dev.courier.codegen.testing.TestProtoc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated code for one service with all four rpc kinds, policies, a hash key and a queue
 * method, compared byte for byte with the files under {@code src/test/resources/golden}, and
 * compiled with {@code -Xlint:all}.
 *
 * <p>To accept a deliberate change: {@code mvn -pl plugin test -Dtest=GoldenFilesTest -Dcourier.golden.update=true},
 * then review the diff.
 */
class GoldenFilesTest {
  private static final Path PROTOS = Paths.get("src/test/resources/protos/golden");
  private static final Path GOLDEN = Paths.get("src/test/resources/golden");

  @TempDir Path work;

  @Test
  void generatedFilesMatchGoldenFilesByteForByte() throws Exception {
    List<GeneratedFile> files = generate();
    if (Boolean.getBoolean("courier.golden.update")) {
      for (GeneratedFile file : files) {
        Path target = GOLDEN.resolve(file.relativePath() + ".txt");
        Files.createDirectories(target.getParent());
        Files.writeString(target, file.content(), StandardCharsets.UTF_8);
      }
    }
    assertThat(files).extracting(GeneratedFile::relativePath).containsExactly(
        "dev/courier/golden/shop/Inventory.java",
        "dev/courier/golden/shop/InventoryAsync.java",
        "dev/courier/golden/shop/InventoryClient.java",
        "dev/courier/golden/shop/InventoryMethods.java",
        "dev/courier/golden/shop/InventoryQueueClient.java",
        "dev/courier/golden/shop/InventoryQueueWorker.java",
        "dev/courier/golden/shop/InventoryServer.java");
    for (GeneratedFile file : files) {
      Path golden = GOLDEN.resolve(file.relativePath() + ".txt");
      assertThat(golden).as("golden file for %s", file.relativePath()).exists();
      assertThat(file.content()).as(file.relativePath())
          .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
  }

  @Test
  void generatedFilesCompileWithoutWarnings() throws Exception {
    TestProtoc.Output protoc = TestProtoc.run(PROTOS, work, "shop/inventory.proto");
    List<GeneratedFile> files =
        JavaSourceGenerator.generate(ModelReader.read(protoc.descriptorSet(), protoc.files()).services());
    TestCompiler.Result result = TestCompiler.compile(work, protoc.javaOut(), files);
    assertThat(result.allErrors()).isEmpty();
    assertThat(result.courierDiagnostics()).isEmpty();
    assertThat(result.success()).isTrue();
  }

  @Test
  void sameInputGivesIdenticalOutput() throws Exception {
    assertThat(generate()).isEqualTo(generate());
  }

  private List<GeneratedFile> generate() throws Exception {
    Path dir = Files.createTempDirectory(work, "run");
    TestProtoc.Output protoc = TestProtoc.run(PROTOS, dir, "shop/inventory.proto");
    return JavaSourceGenerator.generate(ModelReader.read(protoc.descriptorSet(), protoc.files()).services());
  }
}
