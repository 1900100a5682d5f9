package dev.courier.codegen.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code .proto} files inside dependency jars (or class folders): listed cheaply for the
 * incremental fingerprint (zip entry name, size and CRC, no decompression) and extracted into one
 * folder for protoc's import path, the first copy of a path winning as on a classpath. Jars are
 * read through {@link JarProtoEntries}.
 *
 * @since 0.1.0
 */
final class DependencyProtos {
  private DependencyProtos() {}

  /** One line per {@code .proto} inside {@code path}: {@code name size crc}; sorted. */
  static List<String> fingerprintLines(Path path) throws IOException {
    List<String> lines = new ArrayList<>();
    if (Files.isDirectory(path)) {
      for (String name : protoNamesInFolder(path)) {
        lines.add(name + " " + ContentChecksum.of(Files.readAllBytes(path.resolve(name))));
      }
    } else if (Files.isRegularFile(path)) {
      try (JarProtoEntries jar = JarProtoEntries.open(path)) {
        for (JarProtoEntries.Entry e : jar.entries()) {
          lines.add(line(e));
        }
      }
    }
    lines.sort(null);
    return lines;
  }

  /**
   * Copies every {@code .proto} of {@code path} below {@code target} unless a file with the same
   * path is already there. Returns how many files were copied.
   */
  static int extract(Path path, Path target) throws IOException {
    return extract(path, target, new ArrayList<>());
  }

  /**
   * As {@link #extract(Path, Path)}, adding to {@code lines} the jar's {@link #fingerprintLines}
   * from the same pass (nothing for a folder), so the fingerprint need not open the jar again.
   */
  static int extract(Path path, Path target, List<String> lines) throws IOException {
    int copied = 0;
    if (Files.isDirectory(path)) {
      for (String name : protoNamesInFolder(path)) {
        Path out = FileTrees.resolveInside(target, name);
        if (!Files.exists(out)) {
          Files.createDirectories(out.getParent());
          Files.copy(path.resolve(name), out);
          copied++;
        }
      }
    } else if (Files.isRegularFile(path)) {
      try (JarProtoEntries jar = JarProtoEntries.open(path)) {
        for (JarProtoEntries.Entry e : jar.entries()) {
          lines.add(line(e));
          Path out = FileTrees.resolveInside(target, e.name());
          if (!Files.exists(out)) {
            Files.createDirectories(out.getParent());
            Files.write(out, jar.read(e));
            copied++;
          }
        }
      }
      lines.sort(null);
    }
    return copied;
  }

  private static String line(JarProtoEntries.Entry e) {
    return e.name() + " " + e.size() + " " + Long.toHexString(e.crc());
  }
  private static List<String> protoNamesInFolder(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    for (String name : FileTrees.relativeFiles(dir, ".proto")) {
      if (!name.startsWith("META-INF/")) {
        names.add(name);
      }
    }
    return names;
  }
}
