package dev.courier.codegen.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Small file-system helpers shared by the build classes. */
final class FileTrees {
  private FileTrees() {}

  /** Deletes {@code dir} and everything below it; nothing happens when it does not exist. */
  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * Resolves a {@code /}-separated relative path below {@code root}, refusing anything that
   * would land outside it ({@code ../x}, absolute paths).
   */
  static Path resolveInside(Path root, String relativePath) throws IOException {
    Path resolved = root.resolve(relativePath).normalize();
    if (relativePath.isEmpty() || Path.of(relativePath).isAbsolute() || !resolved.startsWith(root)
        || resolved.equals(root)) {
      throw new IOException("path: " + relativePath + " (expected: a relative path inside " + root + ")");
    }
    return resolved;
  }
}
