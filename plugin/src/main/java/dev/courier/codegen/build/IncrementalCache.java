package dev.courier.codegen.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Remembers the {@link Fingerprint} of the last successful run in a small text file and decides
 * whether the next run can be skipped. When in doubt it rebuilds and says why: no state yet, a
 * different state format, a changed part, or a generated file that has gone missing. A run
 * that starts {@link #invalidate() invalidates} the state first, so a failed run is never taken
 * for an up-to-date one.
 *
 * <p>Not thread-safe: one cache per work folder and run.
 *
 * @since 0.1.0
 */
final class IncrementalCache {

  private final Path stateFile;

  /** A cache kept in {@code stateFile} (such as {@code target/courier/fingerprint.txt}). */
  public IncrementalCache(Path stateFile) {
    this.stateFile = stateFile;
  }

  /**
   * Why the outputs must be generated again, or empty when they are up to date.
   *
   * @param current the fingerprint of this run's inputs
   * @param outputDirectory where the previous outputs were written
   * @param previousOutputs the relative paths written last time
   */
  public Optional<String> staleReason(Fingerprint current, Path outputDirectory, List<String> previousOutputs)
      throws IOException {
    return staleReason(current, Map.of(outputDirectory, previousOutputs));
  }

  /**
   * Why the outputs must be generated again, or empty when they are up to date; for runs that
   * write into more than one folder (Java sources and docs).
   *
   * @param current the fingerprint of this run's inputs
   * @param previousOutputs per output folder, the relative paths written there last time
   */
  public Optional<String> staleReason(Fingerprint current, Map<Path, List<String>> previousOutputs)
      throws IOException {
    if (!Files.isRegularFile(stateFile)) {
      return Optional.of("no previous generation state in " + stateFile);
    }
    Fingerprint previous = Fingerprint.parse(Files.readAllLines(stateFile, StandardCharsets.UTF_8));
    if (!Fingerprint.FORMAT.equals(previous.parts().get("format"))) {
      return Optional.of("state format changed");
    }
    List<String> changed = new ArrayList<>();
    for (String part : new TreeSet<>(current.parts().keySet())) {
      if (!current.parts().get(part).equals(previous.parts().get(part))) {
        changed.add(part);
      }
    }
    if (!changed.isEmpty()) {
      return Optional.of(String.join(", ", changed) + " changed");
    }
    for (Map.Entry<Path, List<String>> folder : previousOutputs.entrySet()) {
      for (String output : folder.getValue()) {
        if (!Files.isRegularFile(folder.getKey().resolve(output))) {
          return Optional.of("generated file " + output + " is missing from " + folder.getKey());
        }
      }
    }
    return Optional.empty();
  }

  /** Whether a previous run left a state at all; without one every run generates (a clean build). */
  public boolean hasState() {
    return Files.isRegularFile(stateFile);
  }

  /** Forgets the last state, so a run that fails half-way is redone next time. */
  public void invalidate() throws IOException {
    Files.deleteIfExists(stateFile);
  }

  /** Records a successful run. */
  public void store(Fingerprint fingerprint) throws IOException {
    Files.createDirectories(stateFile.getParent());
    Files.write(stateFile, fingerprint.toLines(), StandardCharsets.UTF_8);
  }
}
