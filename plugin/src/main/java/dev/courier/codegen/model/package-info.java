/**
 * The model Courier generates from, as immutable records that know no Java code generation:
 * {@link dev.courier.codegen.model.ModelReader} reads protoc's descriptor set once per build into
 * a {@link dev.courier.codegen.model.CodegenModel} of {@link dev.courier.codegen.model.ServiceModel}s
 * and {@link dev.courier.codegen.model.MethodModel}s with their effective
 * {@link dev.courier.codegen.model.PolicyModel}, collecting every problem of the {@code .proto}
 * files. {@link dev.courier.codegen.model.GeneratedNames} gives the simple names of the types
 * generated for a service; {@link dev.courier.codegen.model.JavaNames} holds protoc's and
 * Courier's naming rules.
 */
package dev.courier.codegen.model;
