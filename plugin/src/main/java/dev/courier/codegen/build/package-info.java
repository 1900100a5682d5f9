/**
 * The build around code generation, in plain Java with no Maven types.
 * {@link dev.courier.codegen.build.CodegenPipeline} runs it: it finds the {@code .proto} files
 * ({@code ProtoFileScanner}), lays out protoc's import path ({@code ImportPathLayout}), runs protoc
 * once for the whole set ({@code ProtocRunner}) and turns its errors into lines a user can act on
 * ({@code ProtocDiagnostics}), reads the model once and hands it to the Java generators and to the
 * docs, consults the incremental cache ({@code IncrementalCache} over a {@code Fingerprint}, which
 * also covers the templates through {@code TemplateInputs}), and writes through the only class
 * that writes generated files ({@code OutputWriter}), once for Java sources and once for the docs
 * of a {@link dev.courier.codegen.build.DocsRequest}.
 *
 * <p>Public are only the types the Maven plugin uses: it builds a
 * {@link dev.courier.codegen.build.CodegenRequest} (with a
 * {@link dev.courier.codegen.build.ProtocSource}), reports through a
 * {@link dev.courier.codegen.build.BuildLog}, and maps the
 * {@link dev.courier.codegen.build.CodegenOutcome} or {@link dev.courier.codegen.build.BuildException};
 * {@link dev.courier.codegen.build.ProblemLocation} turns problem lines into IDE marker positions
 * and {@link dev.courier.codegen.build.ProtocPlatform} names protoc's artifact classifier. The rest
 * is package-private.
 *
 * @since 0.1.0
 */
package dev.courier.codegen.build;
