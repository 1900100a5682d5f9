package dev.courier.codegen.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The only class that writes into the output folder. It writes a file only when its bytes
 * changed (so unchanged files keep their timestamps and the compiler stays incremental), refuses
 * any path outside the output folder, and deletes the files it wrote last time that are no longer
 * generated (they came from a {@code .proto} that was deleted or renamed). What it wrote is kept
 * in a manifest (a header naming the output folder, then one relative path per line); files it
 * never wrote are never touched, and a manifest of another output folder is ignored.
 *
 * <p>Not thread-safe: one writer per output folder and run.
 *
 * @since 0.1.0
 */
final class OutputWriter {

  private static final String HEADER = "# Courier output manifest v1: ";

  private final Path outputDirectory;
  private final Path manifest;

  /**
   * @param outputDirectory the folder generated files go to
   * @param manifest the file that remembers what was written, outside {@code outputDirectory}
   */
  public OutputWriter(Path outputDirectory, Path manifest) {
    this.outputDirectory = outputDirectory.toAbsolutePath().normalize();
    this.manifest = manifest;
  }

  /**
   * Makes the output folder hold exactly {@code files} (among the files Courier owns).
   *
   * @throws BuildException when a path would land outside the output folder or appears twice
   */
  public Result write(List<OutputFile> files) throws BuildException, IOException {
    Set<String> seen = new HashSet<>();
    List<Path> targets = new ArrayList<>();
    for (OutputFile file : files) {
      if (!seen.add(file.relativePath())) {
        throw new BuildException("Courier: two generated files have the same path " + file.relativePath()
            + " in " + outputDirectory + "; rename the message or service, or set java_outer_classname");
      }
      try {
        targets.add(FileTrees.resolveInside(outputDirectory, file.relativePath()));
      } catch (IOException e) {
        throw new BuildException("Courier: refusing to write " + file.relativePath()
            + " outside the output folder " + outputDirectory, e);
      }
    }
    int written = 0;
    for (int i = 0; i < files.size(); i++) {
      if (files.get(i).writeTo(targets.get(i))) {
        written++;
      }
    }
    int deleted = deleteStale(seen);
    Files.createDirectories(manifest.getParent());
    List<String> lines = new ArrayList<>();
    lines.add(HEADER + outputDirectory);
    lines.addAll(new TreeSet<>(seen));
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    return new Result(written, files.size() - written, deleted);
  }

  /**
   * The relative paths written last time into this output folder; empty when there is no
   * manifest or it was written for another folder (then nothing there is deleted).
   */
  public List<String> previousFiles() throws IOException {
    if (!Files.isRegularFile(manifest)) {
      return List.of();
    }
    List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).equals(HEADER + outputDirectory)) {
      return List.of();
    }
    List<String> files = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (!line.isBlank()) {
        files.add(line);
      }
    }
    return List.copyOf(files);
  }

  private int deleteStale(Set<String> current) throws IOException {
    int deleted = 0;
    for (String previous : previousFiles()) {
      if (current.contains(previous)) {
        continue;
      }
      Path stale;
      try {
        stale = FileTrees.resolveInside(outputDirectory, previous);
      } catch (IOException e) {
        continue; // a tampered manifest line: never delete outside the output folder
      }
      if (Files.deleteIfExists(stale)) {
        deleted++;
        deleteEmptyParents(stale.getParent());
      }
    }
    return deleted;
  }

  private void deleteEmptyParents(Path dir) throws IOException {
    while (dir != null && dir.startsWith(outputDirectory) && !dir.equals(outputDirectory)) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          return;
        }
      }
      Files.delete(dir);
      dir = dir.getParent();
    }
  }

  /**
   * What a write did.
   *
   * @param written files created or changed
   * @param unchanged files whose bytes were already there
   * @param deleted files from last time that are no longer generated
   */
  public record Result(int written, int unchanged, int deleted) {}
}
