package dev.courier.codegen;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.palantir.javapoet.JavaFile;
import dev.courier.codegen.docs.DocModel.BuildDoc;
import dev.courier.codegen.docs.DocModelBuilder;
import dev.courier.codegen.docs.DocRenderer;
import dev.courier.codegen.java.JavaGenerator;
import dev.courier.codegen.model.ModelReader;
import dev.courier.codegen.model.ServiceModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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
    return generate(ModelReader.read(descriptorSet, filesToGenerate));
  }

  /**
   * Renders the reference docs and configuration skeletons of every service declared in
   * {@code filesToGenerate}: Courier's default templates, replaced or extended by those in
   * {@code templateDirectory} (may be {@code null}).
   *
   * @param generator how the outputs name their generator, e.g. {@code "Courier 0.1.0"}
   * @return files sorted by path, for the resources output folder
   * @throws CodegenException when a service is invalid or a template fails (naming template and line)
   */
  public List<GeneratedFile> generateDocs(
      FileDescriptorSet descriptorSet, Collection<String> filesToGenerate, Path templateDirectory, String generator)
      throws CodegenException {
    List<ServiceModel> services = ModelReader.read(descriptorSet, filesToGenerate);
    BuildDoc build = new DocModelBuilder(ModelReader.fileDescriptors(descriptorSet)).build(services, generator);
    return new DocRenderer(templateDirectory).render(build);
  }

  /** Generates the Java files for already-read services. */
  public List<GeneratedFile> generate(List<ServiceModel> services) {
    List<GeneratedFile> files = new ArrayList<>();
    for (ServiceModel service : services) {
      for (JavaFile file : JavaGenerator.generate(service)) {
        String dir = file.packageName().isEmpty() ? "" : file.packageName().replace('.', '/') + "/";
        files.add(new GeneratedFile(dir + file.typeSpec().name() + ".java", file.toString()));
      }
    }
    files.sort(Comparator.comparing(GeneratedFile::relativePath));
    return List.copyOf(files);
  }
}
