package dev.courier.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MavenProtocSourceTest {

  @TempDir Path temp;

  @Test
  void theResolvedBinaryIsCopiedOnceAndMadeExecutable() throws Exception {
    Path artifact = Files.writeString(temp.resolve("protoc-4.36.2-linux-x86_64.exe"), "#!/bin/sh\n");
    Path target = temp.resolve("target/courier/protoc/protoc.exe");

    MavenProtocSource.copyExecutable(artifact, target);
    FileTime copiedAt = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(target, copiedAt);
    MavenProtocSource.copyExecutable(artifact, target);

    assertThat(Files.isExecutable(target)).isTrue();
    assertThat(target).hasSameTextualContentAs(artifact);
    assertThat(Files.getLastModifiedTime(target)).as("not copied again").isEqualTo(copiedAt);
  }

  @Test
  void aBinaryThatCanBeMadeExecutableRunsWhereTheRepositoryKeepsIt() throws Exception {
    Path artifact = Files.writeString(temp.resolve("protoc-4.36.2-linux-x86_64.exe"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(artifact, PosixFilePermissions.fromString("rw-r--r--"));
    Path copy = temp.resolve("target/courier/protoc/protoc.exe");

    Path protoc = MavenProtocSource.executable(artifact, copy);

    assertThat(protoc).isEqualTo(artifact);
    assertThat(Files.isExecutable(artifact)).isTrue();
    assertThat(copy).as("no copy").doesNotExist();
  }
}
