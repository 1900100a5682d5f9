package dev.courier.codegen;

import java.util.Comparator;
import java.util.Objects;

/**
 * One generated source file: its path relative to the output folder ({@code shop/InventoryClient.java},
 * always with {@code /}) and its text.
 *
 * @param relativePath path below the output folder, {@code /}-separated, never absolute
 * @param content the whole file
 */
public record GeneratedFile(String relativePath, String content) {
  /** Orders files by {@link #relativePath}; a class, not a lambda, which a cold JVM would spin at run time. */
  public static final Comparator<GeneratedFile> BY_PATH = new ByPath();

  public GeneratedFile {
    Objects.requireNonNull(relativePath, "relativePath");
    Objects.requireNonNull(content, "content");
  }

  private static final class ByPath implements Comparator<GeneratedFile> {
    @Override
    public int compare(GeneratedFile a, GeneratedFile b) {
      return a.relativePath().compareTo(b.relativePath());
    }
  }
}
