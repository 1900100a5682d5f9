package dev.courier.codegen.protoc;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import dev.courier.codegen.CodegenException;
import dev.courier.codegen.GeneratedFile;
import dev.courier.codegen.docs.DocsGenerator;
import dev.courier.codegen.java.JavaSourceGenerator;
import dev.courier.codegen.model.CodegenModel;
import dev.courier.codegen.model.ModelReader;
import java.util.ArrayList;
import java.util.List;

/**
 * One protoc plugin call: the request's files become the same {@link CodegenModel} that
 * {@code courier:generate} reads from its descriptor set, and the same generators write the
 * same files; problems go back to protoc as the response's error, one per line, as the Maven plugin
 * prints them. Stateless; no IO.
 *
 * @since 0.1.0
 */
final class CourierCodeGenerator {

  private final String generatorName;

  /** @param generatorName how the docs name their generator, such as {@code "Courier 0.1.0"} */
  CourierCodeGenerator(String generatorName) {
    this.generatorName = generatorName;
  }

  /** The response to {@code request}: files, or an error protoc prints. */
  CodeGeneratorResponse generate(CodeGeneratorRequest request) {
    CodeGeneratorResponse.Builder response = CodeGeneratorResponse.newBuilder()
        .setSupportedFeatures(CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL_VALUE
            | CodeGeneratorResponse.Feature.FEATURE_SUPPORTS_EDITIONS_VALUE)
        .setMinimumEdition(com.google.protobuf.DescriptorProtos.Edition.EDITION_PROTO2_VALUE)
        .setMaximumEdition(com.google.protobuf.DescriptorProtos.Edition.EDITION_2023_VALUE);
    PluginParameters parameters;
    try {
      parameters = PluginParameters.parse(request.getParameter());
    } catch (IllegalArgumentException e) {
      return response.setError("protoc-gen-courier: " + e.getMessage()).build();
    }
    try {
      CodegenModel model = ModelReader.read(FileDescriptorSet.newBuilder().addAllFile(request.getProtoFileList()).build(),
          request.getFileToGenerateList(), parameters.javaNames());
      List<GeneratedFile> files = new ArrayList<>(JavaSourceGenerator.generate(model.services()));
      if (parameters.docs()) {
        String prefix = parameters.docsDirectory().isEmpty() ? "" : parameters.docsDirectory() + "/";
        for (GeneratedFile doc : DocsGenerator.generate(model, null, generatorName)) {
          files.add(new GeneratedFile(prefix + doc.relativePath(), doc.content()));
        }
      }
      for (GeneratedFile file : files) {
        response.addFile(CodeGeneratorResponse.File.newBuilder().setName(file.relativePath()).setContent(file.content()));
      }
      return response.build();
    } catch (CodegenException e) {
      return response.setError(String.join("\n", e.problems())).build();
    }
  }
}
