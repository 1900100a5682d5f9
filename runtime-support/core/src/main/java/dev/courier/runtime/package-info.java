/**
 * The library that Courier-generated code links against.
 *
 * <p>Generated clients hand every call to a {@link dev.courier.runtime.client.ClientRuntime}, which runs it
 * through the call pipeline (deadline, retries, balancing, per-endpoint channels); generated server
 * bindings use {@link dev.courier.runtime.server.ServiceBindings}. Sub-packages hold one feature each:
 * {@code balance}, {@code retry}, {@code discovery}, {@code queue}, {@code server}.
 */
package dev.courier.runtime;
