/**
 * The Maven side of Courier: {@link dev.courier.plugin.GenerateMojo} ({@code courier:generate})
 * and {@link dev.courier.plugin.GenerateTestMojo} ({@code courier:generate-test}) turn their
 * parameters into a {@link dev.courier.codegen.build.CodegenRequest} through the one flow of
 * {@link dev.courier.plugin.AbstractGenerateMojo}; {@link dev.courier.plugin.MavenProtocSource}
 * resolves protoc through the project's remote repositories, and {@code IdeFeedback} tells Eclipse
 * (Plexus's {@code BuildContext}) what changed and where the errors are. Everything else lives in
 * {@link dev.courier.codegen.build}, free of Maven types.
 *
 * @since 0.1.0
 */
package dev.courier.plugin;
