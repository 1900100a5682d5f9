package dev.courier.codegen.build;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Small file-system helpers shared by the build classes. They walk folders with plain loops, not
 * {@code Files.walk} streams: in the cold JVM of a build every lambda is a class spun at run time.
 * Like {@code Files.walk}, they do not follow links to folders.
 */
final class FileTrees {
  private FileTrees() {}

  /** Deletes {@code dir} and everything below it; nothing happens when it does not exist. */
  static void deleteRecursively(Path dir) throws IOException {
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path entry : entries) {
          deleteRecursively(entry);
        }
      }
    }
    Files.deleteIfExists(dir);
  }

  /** Every regular file below {@code dir} (links to files included), sorted; none when it is not a folder. */
  static List<Path> regularFiles(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      collect(dir, files);
    }
    files.sort(null);
    return files;
  }

  /**
   * The {@code /}-separated paths relative to {@code dir} of its regular files whose names end in
   * {@code suffix}, sorted.
   */
  static List<String> relativeFiles(Path dir, String suffix) throws IOException {
    List<String> names = new ArrayList<>();
    for (Path file : regularFiles(dir)) {
      String name = dir.relativize(file).toString().replace('\\', '/');
      if (name.endsWith(suffix)) {
        names.add(name);
      }
    }
    names.sort(null);
    return names;
  }

  private static void collect(Path dir, List<Path> files) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          collect(entry, files);
        } else if (Files.isRegularFile(entry)) {
          files.add(entry);
        }
      }
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
