/**
 * Courier's code generation, free of Maven types, in three layers by package:
 * {@link dev.courier.codegen.model} reads protoc's descriptor set once into validated records,
 * {@link dev.courier.codegen.java} and {@link dev.courier.codegen.docs} turn that one model into
 * Java sources and rendered docs without IO, and {@link dev.courier.codegen.build} runs protoc,
 * the incremental cache and the only writer of files; {@link dev.courier.codegen.protoc} serves
 * the same generators to protoc as a plugin. This package holds what the layers share:
 * {@link dev.courier.codegen.GeneratedFile}, one output, and
 * {@link dev.courier.codegen.CodegenException}, the user-facing problems that stop generation.
 */
package dev.courier.codegen;
