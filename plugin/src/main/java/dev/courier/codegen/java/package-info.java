/**
 * Java sources from the model, through JavaPoet and without IO:
 * {@link dev.courier.codegen.java.JavaSourceGenerator} collects, per service, the files of one
 * package-private generator per emitted type (the interface, {@code XxxMethods}, client, server,
 * queue client and queue worker). Generated code binds types and delegates to
 * {@code courier-runtime}.
 */
package dev.courier.codegen.java;
