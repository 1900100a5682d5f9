package dev.courier.codegen.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtoFileScannerTest {

  @TempDir Path root;

  @Test
  void defaultIncludeFindsProtosAtEveryDepthSorted() throws Exception {
    touch("z.proto", "a/b/c.proto", "a/readme.txt", "a/x.proto");

    assertThat(new ProtoFileScanner(List.of(), List.of()).scan(root))
        .containsExactly("a/b/c.proto", "a/x.proto", "z.proto");
  }

  @Test
  void excludesWinOverIncludes() throws Exception {
    touch("shop/inventory.proto", "shop/internal/debug.proto", "other/o.proto");

    assertThat(new ProtoFileScanner(List.of("shop/**"), List.of("**/internal/")).scan(root))
        .containsExactly("shop/inventory.proto");
  }

  @Test
  void singleStarDoesNotCrossFolders() {
    ProtoFileScanner scanner = new ProtoFileScanner(List.of("*.proto"), List.of());

    assertThat(scanner.matches("top.proto")).isTrue();
    assertThat(scanner.matches("a/nested.proto")).isFalse();
  }

  @Test
  void missingRootIsEmpty() throws Exception {
    assertThat(new ProtoFileScanner(List.of(), List.of()).scan(root.resolve("nope"))).isEmpty();
  }

  private void touch(String... paths) throws Exception {
    for (String p : paths) {
      Path file = root.resolve(p);
      Files.createDirectories(file.getParent());
      Files.writeString(file, "");
    }
  }
}
