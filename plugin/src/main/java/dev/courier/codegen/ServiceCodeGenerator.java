package dev.courier.codegen;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import java.util.Collection;
import java.util.List;

/**
 * Turns the services of a protoc descriptor set into Java sources. Pure: no IO, no Maven; the
 * same input always gives byte-identical output.
 */
public final class ServiceCodeGenerator {

  /**
   * Generates the Java files for every service declared in {@code filesToGenerate}.
   *
   * @param descriptorSet protoc's output with {@code --include_imports --include_source_info}
   * @param filesToGenerate proto paths as protoc names them ({@code shop/inventory.proto})
   * @return files sorted by path
   * @throws CodegenException when a service or its options are invalid
   */
  public List<GeneratedFile> generate(FileDescriptorSet descriptorSet, Collection<String> filesToGenerate)
      throws CodegenException {
    throw new UnsupportedOperationException("in progress");
  }
}
