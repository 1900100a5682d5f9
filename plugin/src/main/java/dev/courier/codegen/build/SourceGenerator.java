package dev.courier.codegen.build;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import dev.courier.codegen.CodegenException;
import dev.courier.codegen.GeneratedFile;
import dev.courier.codegen.ServiceCodeGenerator;
import java.util.Collection;
import java.util.List;

/**
 * The code generator as the pipeline sees it: descriptor set in, files out, no IO.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface SourceGenerator {

  /** Generates files for the services of {@code filesToGenerate}. */
  List<GeneratedFile> generate(FileDescriptorSet set, Collection<String> filesToGenerate)
      throws CodegenException;

  /** Courier's service generator. */
  static SourceGenerator courier() {
    return (set, files) -> new ServiceCodeGenerator().generate(set, files);
  }
}
