package dev.courier.codegen.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder walks, as {@code Files.walk} did them: links to folders are not followed. */
class FileTreesTest {
  @TempDir Path work;

  @Test
  void listsRegularFilesBelowAFolderSortedWithoutFollowingLinkedFolders() throws Exception {
    Path root = Files.createDirectories(work.resolve("root/b"));
    Files.writeString(root.resolve("z.proto"), "z");
    Files.writeString(work.resolve("root/a.proto"), "a");
    Files.writeString(work.resolve("root/notes.txt"), "n");
    Path outside = Files.createDirectories(work.resolve("outside"));
    Files.writeString(outside.resolve("hidden.proto"), "h");
    Files.createSymbolicLink(work.resolve("root/linked"), outside);

    assertThat(FileTrees.relativeFiles(work.resolve("root"), ".proto")).containsExactly("a.proto", "b/z.proto");
    assertThat(FileTrees.regularFiles(work.resolve("root"))).containsExactly(
        work.resolve("root/a.proto"), work.resolve("root/b/z.proto"), work.resolve("root/notes.txt"));
    assertThat(FileTrees.regularFiles(work.resolve("missing"))).isEmpty();
  }

  @Test
  void deletesAFolderAndALinkInItButNotWhatTheLinkPointsTo() throws Exception {
    Path root = Files.createDirectories(work.resolve("root/deep/er"));
    Files.writeString(root.resolve("f"), "f");
    Path outside = Files.createDirectories(work.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "k");
    Files.createSymbolicLink(work.resolve("root/linked"), outside);

    FileTrees.deleteRecursively(work.resolve("root"));
    FileTrees.deleteRecursively(work.resolve("never-there"));

    assertThat(work.resolve("root")).doesNotExist();
    assertThat(outside.resolve("keep")).hasContent("k");
  }
}
