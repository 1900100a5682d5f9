package dev.courier.codegen.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code .proto} listing of each dependency jar as the last run read it, kept by path with the
 * jar's size and modification time, so that a build where nothing changed reads two file
 * attributes per jar instead of every jar's zip directory (grpc-netty-shaded alone has thousands
 * of entries). A jar with another size or time is read again; folders are always read. Not
 * thread-safe: one per run.
 *
 * @since 0.1.0
 */
final class DependencyScanCache {

  /** One jar as last read: its identity and the digest of its {@code .proto} lines, empty if none. */
  private record Entry(long size, long modified, String digest) {}

  private final Path file;
  private final Map<String, Entry> previous = new LinkedHashMap<>();
  private final Map<String, Entry> current = new LinkedHashMap<>();

  /** A cache kept in {@code file}, such as {@code target/courier/dependency-scan.txt}; a broken file is ignored. */
  DependencyScanCache(Path file) {
    this.file = file;
    try {
      if (Files.isRegularFile(file)) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          String[] parts = line.split("\t", -1);
          if (parts.length == 4) {
            previous.put(parts[0], new Entry(Long.parseLong(parts[1]), Long.parseLong(parts[2]), parts[3]));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      previous.clear(); // read the jars again: the cache only saves time
    }
  }

  /**
   * The digest of the {@code .proto} entries of {@code dependency}, or the empty string when it has
   * none.
   */
  String digest(Path dependency) throws IOException {
    String key = dependency.toString();
    if (Files.isRegularFile(dependency)) {
      BasicFileAttributes attributes = Files.readAttributes(dependency, BasicFileAttributes.class);
      long size = attributes.size();
      long modified = attributes.lastModifiedTime().toMillis();
      Entry known = previous.get(key);
      Entry entry = known != null && known.size() == size && known.modified() == modified
          ? known : new Entry(size, modified, digestOf(DependencyProtos.fingerprintLines(dependency)));
      current.put(key, entry);
      return entry.digest();
    }
    return digestOf(DependencyProtos.fingerprintLines(dependency));
  }

  /** Records the listing of a jar read for another reason (extracting its protos), as if {@link #digest} read it. */
  void remember(Path jar, List<String> lines) throws IOException {
    if (Files.isRegularFile(jar)) {
      BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
      previous.put(jar.toString(),
          new Entry(attributes.size(), attributes.lastModifiedTime().toMillis(), digestOf(lines)));
    }
  }

  /** Writes what this run read, for the next one. */
  void store() throws IOException {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, Entry> known : current.entrySet()) {
      Entry e = known.getValue();
      lines.add(known.getKey() + "\t" + e.size() + "\t" + e.modified() + "\t" + e.digest());
    }
    Files.createDirectories(file.getParent());
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  private static String digestOf(List<String> lines) {
    return lines.isEmpty() ? "" : ContentChecksum.of(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
  }
}
