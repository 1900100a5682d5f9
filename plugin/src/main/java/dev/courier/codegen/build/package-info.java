/**
 * The build around code generation, in plain Java with no Maven types: finding the {@code .proto}
 * files ({@link dev.courier.codegen.build.ProtoFileScanner}), laying out protoc's import path
 * ({@link dev.courier.codegen.build.ImportPathLayout}), running protoc once for the whole set
 * ({@link dev.courier.codegen.build.ProtocRunner}) and turning its errors into lines a user can act
 * on ({@link dev.courier.codegen.build.ProtocDiagnostics}), the incremental cache
 * ({@link dev.courier.codegen.build.IncrementalCache}, which also covers the templates through
 * {@code TemplateInputs}) and the only class that writes generated files
 * ({@link dev.courier.codegen.build.OutputWriter}), once for Java sources and once for the docs of
 * a {@link dev.courier.codegen.build.DocsRequest}. {@link dev.courier.codegen.build.ProblemLocation}
 * turns problem lines into IDE marker positions.
 *
 * <p>{@link dev.courier.codegen.build.CodegenPipeline} ties them together; the Maven plugin only
 * builds a {@link dev.courier.codegen.build.CodegenRequest} and maps the outcome.
 *
 * @since 0.1.0
 */
package dev.courier.codegen.build;
