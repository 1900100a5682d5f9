package dev.courier.codegen.build;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One protoc run over the whole set of a project's {@code .proto} files. Immutable.
 *
 * @param importPath {@code --proto_path} folders in search order; the first is the source root
 * @param inputs absolute paths of the files to compile, all below the first import folder
 * @param descriptorSetOut where {@code --descriptor_set_out} writes (with imports and source info);
 *     empty to skip it
 * @param javaOut where {@code --java_out} writes message classes; empty to skip them
 * @since 0.1.0
 */
record ProtocInvocation(
    List<Path> importPath, List<Path> inputs, Optional<Path> descriptorSetOut, Optional<Path> javaOut) {

  public ProtocInvocation {
    importPath = List.copyOf(importPath);
    inputs = List.copyOf(inputs);
    Objects.requireNonNull(descriptorSetOut, "descriptorSetOut");
    Objects.requireNonNull(javaOut, "javaOut");
  }

  /** protoc's arguments, one per line of a response file (protoc reads {@code @file}). */
  public List<String> arguments() {
    List<String> args = new java.util.ArrayList<>();
    for (Path dir : importPath) {
      args.add("--proto_path=" + dir);
    }
    if (descriptorSetOut.isPresent()) {
      Path out = descriptorSetOut.get();
      args.add("--descriptor_set_out=" + out);
      args.add("--include_imports");
      args.add("--include_source_info");
    }
    if (javaOut.isPresent()) {
      args.add("--java_out=" + javaOut.get());
    }
    for (Path input : inputs) {
      args.add(input.toString());
    }
    return args;
  }
}
