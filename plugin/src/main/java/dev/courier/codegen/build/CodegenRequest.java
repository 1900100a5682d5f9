package dev.courier.codegen.build;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything one code generation run needs, with no Maven types. Immutable.
 *
 * @param protoSourceRoot folder with the project's own {@code .proto} files; may not exist
 * @param includes Ant-style patterns relative to {@code protoSourceRoot}, such as {@code **}{@code /*.proto}
 * @param excludes Ant-style patterns that win over {@code includes}
 * @param outputDirectory where generated Java files go; Courier owns what it wrote there
 * @param workDirectory Courier's scratch folder ({@code target/courier}): extracted imports, the
 *     descriptor set, the incremental state
 * @param dependencyPaths jars (or class folders) whose {@code .proto} files may be imported, in
 *     classpath order: the first copy of a file wins
 * @param generateMessages whether protoc's {@code --java_out} writes the message classes too
 * @param protoc where protoc comes from
 * @param pluginVersion the plugin's version, part of the incremental fingerprint
 * @param docs the reference docs to render as well; empty for Java sources only
 * @param javaNames full service name to the base name of its generated types, for {@code .proto}
 *     files the user cannot edit; wins over the service's {@code java_name} option
 * @param runtimeCheck whether the project has the dependencies the generated code needs
 * @since 0.1.0
 */
public record CodegenRequest(
    Path protoSourceRoot,
    List<String> includes,
    List<String> excludes,
    Path outputDirectory,
    Path workDirectory,
    List<Path> dependencyPaths,
    boolean generateMessages,
    ProtocSource protoc,
    String pluginVersion,
    Optional<DocsRequest> docs,
    Map<String, String> javaNames,
    RuntimeCheck runtimeCheck) {

  public CodegenRequest {
    Objects.requireNonNull(docs, "docs");
    Objects.requireNonNull(protoSourceRoot, "protoSourceRoot");
    Objects.requireNonNull(outputDirectory, "outputDirectory");
    Objects.requireNonNull(workDirectory, "workDirectory");
    Objects.requireNonNull(protoc, "protoc");
    Objects.requireNonNull(pluginVersion, "pluginVersion");
    protoSourceRoot = protoSourceRoot.toAbsolutePath().normalize();
    outputDirectory = outputDirectory.toAbsolutePath().normalize();
    workDirectory = workDirectory.toAbsolutePath().normalize();
    includes = includes == null || includes.isEmpty() ? List.of("**/*.proto") : List.copyOf(includes);
    excludes = excludes == null ? List.of() : List.copyOf(excludes);
    dependencyPaths = dependencyPaths == null ? List.of() : List.copyOf(dependencyPaths);
    javaNames = javaNames == null ? Map.of() : Map.copyOf(new TreeMap<>(javaNames));
    Objects.requireNonNull(runtimeCheck, "runtimeCheck");
  }

  /** A request for Java sources only, no docs. */
  public CodegenRequest(Path protoSourceRoot, List<String> includes, List<String> excludes, Path outputDirectory,
      Path workDirectory, List<Path> dependencyPaths, boolean generateMessages, ProtocSource protoc,
      String pluginVersion) {
    this(protoSourceRoot, includes, excludes, outputDirectory, workDirectory, dependencyPaths, generateMessages,
        protoc, pluginVersion, Optional.empty(), Map.of(), RuntimeCheck.none());
  }

  /** This request, rendering {@code docs} as well. */
  public CodegenRequest withDocs(DocsRequest docs) {
    return new CodegenRequest(protoSourceRoot, includes, excludes, outputDirectory, workDirectory, dependencyPaths,
        generateMessages, protoc, pluginVersion, Optional.of(docs), javaNames, runtimeCheck);
  }

  /** This request, with base names given by the build for some services. */
  public CodegenRequest withJavaNames(Map<String, String> names) {
    return new CodegenRequest(protoSourceRoot, includes, excludes, outputDirectory, workDirectory, dependencyPaths,
        generateMessages, protoc, pluginVersion, docs, names, runtimeCheck);
  }

  /** This request, checking the project's dependencies with {@code check}. */
  public CodegenRequest withRuntimeCheck(RuntimeCheck check) {
    return new CodegenRequest(protoSourceRoot, includes, excludes, outputDirectory, workDirectory, dependencyPaths,
        generateMessages, protoc, pluginVersion, docs, javaNames, check);
  }
}
