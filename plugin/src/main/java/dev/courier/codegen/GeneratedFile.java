package dev.courier.codegen;

import java.util.Objects;

/**
 * One generated source file: its path relative to the output folder ({@code shop/InventoryClient.java},
 * always with {@code /}) and its text.
 *
 * @param relativePath path below the output folder, {@code /}-separated, never absolute
 * @param content the whole file
 */
public record GeneratedFile(String relativePath, String content) {
  public GeneratedFile {
    Objects.requireNonNull(relativePath, "relativePath");
    Objects.requireNonNull(content, "content");
  }
}
