package dev.courier.codegen.build;

import dev.courier.codegen.GeneratedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * One file for {@link OutputWriter}: a {@code /}-separated path relative to the output folder and
 * either its bytes or a file in the work folder that holds them (what protoc's {@code --java_out}
 * wrote). A byte array is not copied: callers hand it over and do not change it. Not thread-safe.
 *
 * @since 0.1.0
 */
final class OutputFile {
  private final String relativePath;
  private final byte[] content;
  private final Path written;

  private OutputFile(String relativePath, byte[] content, Path written) {
    this.relativePath = Objects.requireNonNull(relativePath, "relativePath");
    this.content = content;
    this.written = written;
  }

  /** {@code content} for {@code relativePath}. */
  OutputFile(String relativePath, byte[] content) {
    this(relativePath, Objects.requireNonNull(content, "content"), null);
  }

  /** A generated source file, encoded as UTF-8. */
  public static OutputFile of(GeneratedFile file) {
    return new OutputFile(file.relativePath(), file.content().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The file {@code written} in the work folder, for {@code relativePath}: moved into place when
   * nothing is there yet (a clean build: protoc's 4.8 MB of Pub/Sub's message classes are then
   * neither read into the JVM nor written a second time), else compared and moved only when it
   * differs. Either way {@code written} is gone from the work folder afterwards, or left unchanged
   * when the output was already the same.
   */
  static OutputFile movedFrom(String relativePath, Path written) {
    return new OutputFile(relativePath, null, Objects.requireNonNull(written, "written"));
  }

  /** The path below the output folder. */
  String relativePath() {
    return relativePath;
  }

  /**
   * Makes {@code target} hold this file's bytes unless it holds them already, so that an unchanged
   * file keeps its time and the compiler stays incremental.
   *
   * @return whether {@code target} was created or changed
   */
  boolean writeTo(Path target) throws IOException {
    if (written != null && !Files.exists(target)) {
      Files.createDirectories(target.getParent());
      Files.move(written, target);
      return true;
    }
    byte[] bytes = written != null ? Files.readAllBytes(written) : content;
    if (Files.isRegularFile(target) && Files.size(target) == bytes.length
        && Arrays.equals(Files.readAllBytes(target), bytes)) {
      return false;
    }
    Files.createDirectories(target.getParent());
    if (written != null) {
      Files.move(written, target, StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.write(target, bytes);
    }
    return true;
  }
}
