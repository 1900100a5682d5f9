package dev.courier.codegen.build;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputWriterTest {

  @TempDir Path temp;

  private OutputWriter writer() {
    return new OutputWriter(temp.resolve("out"), temp.resolve("work/outputs.txt"));
  }

  private static OutputFile file(String path, String content) {
    return new OutputFile(path, content.getBytes(UTF_8));
  }

  @Test
  void byteIdenticalFilesAreNotRewritten() throws Exception {
    writer().write(List.of(file("a/A.java", "class A {}"), file("B.java", "class B {}")));
    Path a = temp.resolve("out/a/A.java");
    FileTime old = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(a, old);

    OutputWriter.Result result = writer().write(List.of(file("a/A.java", "class A {}"), file("B.java", "class B2 {}")));

    assertThat(result).isEqualTo(new OutputWriter.Result(1, 1, 0));
    assertThat(Files.getLastModifiedTime(a)).isEqualTo(old);
    assertThat(temp.resolve("out/B.java")).hasContent("class B2 {}");
  }

  @Test
  void filesNoLongerGeneratedAreDeletedWithTheirEmptyFolders() throws Exception {
    writer().write(List.of(file("gone/deep/Old.java", "x"), file("Kept.java", "y")));
    Files.writeString(temp.resolve("out/UserFile.java"), "not ours");

    OutputWriter.Result result = writer().write(List.of(file("Kept.java", "y")));

    assertThat(result.deleted()).isEqualTo(1);
    assertThat(temp.resolve("out/gone")).doesNotExist();
    assertThat(temp.resolve("out/UserFile.java")).exists();
  }

  @Test
  void pathsOutsideTheOutputFolderAreRefused() {
    assertThatThrownBy(() -> writer().write(List.of(file("../escape.java", "x"))))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("refusing to write ../escape.java outside the output folder");
    assertThat(temp.resolve("escape.java")).doesNotExist();
  }

  @Test
  void aDuplicatePathIsAnError() {
    assertThatThrownBy(() -> writer().write(List.of(file("A.java", "1"), file("A.java", "2"))))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("two generated files have the same path A.java");
  }

  @Test
  void aManifestOfAnotherOutputFolderDeletesNothing() throws Exception {
    new OutputWriter(temp.resolve("old-out"), temp.resolve("work/outputs.txt")).write(List.of(file("A.java", "a")));
    Path userFile = Files.createDirectories(temp.resolve("out")).resolve("A.java");
    Files.writeString(userFile, "the user's own");

    writer().write(List.of());

    assertThat(userFile).hasContent("the user's own");
  }

  @Test
  void aTamperedManifestNeverDeletesOutsideTheOutputFolder() throws Exception {
    Path victim = Files.writeString(temp.resolve("victim.txt"), "keep me");
    Files.createDirectories(temp.resolve("work"));
    Files.writeString(temp.resolve("work/outputs.txt"),
        "# Courier output manifest v1: " + temp.resolve("out") + "\n../victim.txt\n");

    writer().write(List.of());

    assertThat(victim).exists();
  }

  @Test
  void aFileProtocWroteIsMovedIntoPlaceOrLeftWhenTheOutputIsTheSame() throws Exception {
    Path work = Files.createDirectories(temp.resolve("work/java-out/a"));
    Path fresh = Files.writeString(work.resolve("A.java"), "class A {}");

    OutputWriter.Result first = writer().write(List.of(OutputFile.movedFrom("a/A.java", fresh)));

    assertThat(first).isEqualTo(new OutputWriter.Result(1, 0, 0));
    assertThat(temp.resolve("out/a/A.java")).hasContent("class A {}");
    assertThat(fresh).as("moved, not copied").doesNotExist();

    FileTime old = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(temp.resolve("out/a/A.java"), old);
    Path same = Files.writeString(work.resolve("A.java"), "class A {}");
    OutputWriter.Result second = writer().write(List.of(OutputFile.movedFrom("a/A.java", same)));

    assertThat(second).isEqualTo(new OutputWriter.Result(0, 1, 0));
    assertThat(Files.getLastModifiedTime(temp.resolve("out/a/A.java"))).isEqualTo(old);

    Path changed = Files.writeString(work.resolve("A.java"), "class A { int x; }");
    OutputWriter.Result third = writer().write(List.of(OutputFile.movedFrom("a/A.java", changed)));

    assertThat(third).isEqualTo(new OutputWriter.Result(1, 0, 0));
    assertThat(temp.resolve("out/a/A.java")).hasContent("class A { int x; }");
  }
}
