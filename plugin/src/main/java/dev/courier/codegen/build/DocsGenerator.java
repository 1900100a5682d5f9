package dev.courier.codegen.build;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import dev.courier.codegen.CodegenException;
import dev.courier.codegen.GeneratedFile;
import dev.courier.codegen.ServiceCodeGenerator;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * The docs renderer as the pipeline sees it: descriptor set and templates in, files out, no
 * writing.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DocsGenerator {

  /**
   * Renders the docs of the services of {@code filesToGenerate}.
   *
   * @param templateDirectory the user's templates, or {@code null} for Courier's defaults only
   * @param generator how the outputs name their generator
   * @throws CodegenException when a template fails; each problem names the template and line
   */
  List<GeneratedFile> generate(FileDescriptorSet set, Collection<String> filesToGenerate, Path templateDirectory,
      String generator) throws CodegenException;

  /** Courier's FreeMarker renderer over the templates of {@code courier-templates}. */
  static DocsGenerator courier() {
    return (set, files, templates, generator) ->
        new ServiceCodeGenerator().generateDocs(set, files, templates, generator);
  }
}
