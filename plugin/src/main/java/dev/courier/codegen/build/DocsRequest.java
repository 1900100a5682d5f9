package dev.courier.codegen.build;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The reference docs and configuration skeletons of a run: where they go and which user
 * templates replace or extend Courier's defaults. No Maven types. Immutable.
 *
 * @param outputDirectory where the rendered files go ({@code target/generated-resources/courier});
 *     Courier owns what it wrote there, with its own manifest
 * @param templateDirectory the user's templates ({@code service/}, {@code file/}, {@code build/}
 *     subfolders); empty when there are none, or when the folder does not exist
 * @param generator how the outputs name their generator, such as {@code "Courier 0.1.0"}
 * @since 0.1.0
 */
public record DocsRequest(Path outputDirectory, Optional<Path> templateDirectory, String generator) {

  public DocsRequest {
    Objects.requireNonNull(outputDirectory, "outputDirectory");
    Objects.requireNonNull(templateDirectory, "templateDirectory");
    Objects.requireNonNull(generator, "generator");
    outputDirectory = outputDirectory.toAbsolutePath().normalize();
    templateDirectory = templateDirectory.isPresent()
        ? Optional.of(templateDirectory.get().toAbsolutePath().normalize()) : Optional.empty();
  }

  /**
   * Docs into {@code outputDirectory}, with the user's templates from {@code templateDirectory}
   * when that folder exists (a missing folder means the defaults only).
   */
  public static DocsRequest of(Path outputDirectory, Path templateDirectory, String generator) {
    Optional<Path> templates = templateDirectory != null && java.nio.file.Files.isDirectory(templateDirectory)
        ? Optional.of(templateDirectory) : Optional.empty();
    return new DocsRequest(outputDirectory, templates, generator);
  }
}
