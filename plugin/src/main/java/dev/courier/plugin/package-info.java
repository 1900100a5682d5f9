/**
 * The Maven side of Courier: {@link dev.courier.plugin.GenerateMojo} ({@code courier:generate})
 * turns its parameters into a {@link dev.courier.codegen.build.CodegenRequest}, and
 * {@link dev.courier.plugin.MavenProtocSource} resolves protoc through the project's remote
 * repositories. Everything else lives in {@link dev.courier.codegen.build}, free of Maven types.
 *
 * @since 0.1.0
 */
package dev.courier.plugin;
