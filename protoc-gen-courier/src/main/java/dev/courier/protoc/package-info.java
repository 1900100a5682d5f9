/**
 * {@code protoc-gen-courier}: Courier's generator behind protoc's plugin protocol, so that any
 * build that runs protoc gets the Java sources and docs {@code courier:generate} writes.
 *
 * @since 0.1.0
 */
package dev.courier.protoc;
