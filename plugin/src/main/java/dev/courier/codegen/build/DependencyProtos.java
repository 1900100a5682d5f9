package dev.courier.codegen.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The {@code .proto} files inside dependency jars (or class folders): listed cheaply for the
 * incremental fingerprint (zip entry name, size and CRC, no decompression) and extracted into one
 * folder for protoc's import path, the first copy of a path winning as on a classpath. Jars are
 * read through {@link JarProtoEntries}, or {@link ZipFile} when it does not take one.
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
        lines.add(name + " " + sha256(Files.readAllBytes(path.resolve(name))));
      }
    } else if (Files.isRegularFile(path)) {
      forEachProtoInJar(path, (name, size, crc, content) -> lines.add(line(name, size, crc)));
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
    int[] copied = {0};
    if (Files.isDirectory(path)) {
      for (String name : protoNamesInFolder(path)) {
        Path out = FileTrees.resolveInside(target, name);
        if (!Files.exists(out)) {
          Files.createDirectories(out.getParent());
          Files.copy(path.resolve(name), out);
          copied[0]++;
        }
      }
    } else if (Files.isRegularFile(path)) {
      forEachProtoInJar(path, (name, size, crc, content) -> {
        lines.add(line(name, size, crc));
        Path out = FileTrees.resolveInside(target, name);
        if (!Files.exists(out)) {
          Files.createDirectories(out.getParent());
          Files.write(out, content.read());
          copied[0]++;
        }
      });
      lines.sort(null);
    }
    return copied[0];
  }

  /** What {@link #forEachProtoInJar} does with each entry; {@code content} reads it when asked. */
  private interface ProtoEntryAction {
    void accept(String name, long size, long crc, EntryContent content) throws IOException;
  }

  /** The bytes of one entry, read only when asked for. */
  private interface EntryContent {
    byte[] read() throws IOException;
  }

  /** Every {@code .proto} entry of a jar, in its directory's order. */
  private static void forEachProtoInJar(Path jar, ProtoEntryAction action) throws IOException {
    Optional<JarProtoEntries> direct = JarProtoEntries.open(jar);
    if (direct.isPresent()) {
      try (JarProtoEntries entries = direct.get()) {
        for (JarProtoEntries.Entry e : entries.entries()) {
          action.accept(e.name(), e.size(), e.crc(), () -> entries.read(e));
        }
      }
      return;
    }
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        if (isProto(e)) {
          action.accept(e.getName(), e.getSize(), e.getCrc(), () -> {
            try (InputStream in = zip.getInputStream(e)) {
              return in.readAllBytes();
            }
          });
        }
      }
    }
  }

  private static String line(String name, long size, long crc) {
    return name + " " + size + " " + Long.toHexString(crc);
  }

  private static boolean isProto(ZipEntry e) {
    return !e.isDirectory() && e.getName().endsWith(".proto") && !e.getName().startsWith("META-INF/");
  }

  private static List<String> protoNamesInFolder(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .filter(n -> n.endsWith(".proto") && !n.startsWith("META-INF/"))
          .sorted()
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
