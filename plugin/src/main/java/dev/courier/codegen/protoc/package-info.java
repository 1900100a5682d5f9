/**
 * Courier's generator behind protoc's plugin protocol ({@link dev.courier.codegen.protoc.ProtocPlugin}),
 * which {@code protoc-gen-courier} runs, so that any build that runs protoc gets the Java sources
 * and docs {@code courier:generate} writes. The options come as protoc plugin parameters.
 *
 * @since 0.1.0
 */
package dev.courier.codegen.protoc;
