package dev.courier.codegen.build;

import dev.courier.codegen.GeneratedFile;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One file for {@link OutputWriter}: a {@code /}-separated path relative to the output folder and
 * its bytes. The array is not copied: callers hand it over and do not change it.
 *
 * @param relativePath path below the output folder
 * @param content the bytes to write
 * @since 0.1.0
 */
record OutputFile(String relativePath, byte[] content) {

  public OutputFile {
    Objects.requireNonNull(relativePath, "relativePath");
    Objects.requireNonNull(content, "content");
  }

  /** A generated source file, encoded as UTF-8. */
  public static OutputFile of(GeneratedFile file) {
    return new OutputFile(file.relativePath(), file.content().getBytes(StandardCharsets.UTF_8));
  }
}
