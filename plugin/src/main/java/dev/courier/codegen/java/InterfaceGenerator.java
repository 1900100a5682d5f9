package dev.courier.codegen.java;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.courier.codegen.model.CallKind;
import dev.courier.codegen.model.GeneratedNames;
import dev.courier.codegen.model.MethodModel;
import dev.courier.codegen.model.ServiceModel;
import javax.lang.model.element.Modifier;

/**
 * Generates the interface a user implements to serve the service, and which the generated client
 * implements to call it: calling code does not care whether the service is local or remote.
 */
final class InterfaceGenerator {
  private InterfaceGenerator() {}

  static TypeSpec generate(ServiceModel service) {
    GeneratedNames names = service.names();
    TypeSpec.Builder type = TypeSpec.interfaceBuilder(names.serviceInterface())
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("$L", Javadoc.paragraph(service.comment()))
        .addJavadoc("The gRPC service {@code $L}. Implement it and serve it with {@link $L};\n"
            + "call a remote one through {@link $L}, which implements it too.\n"
            + "\n<p>To fail a call with a chosen status, throw a {@code CourierException} or a grpc\n"
            + "{@code StatusRuntimeException}; status, message and trailers reach the client unchanged.\n",
            service.fullName(), names.server(), names.client());
    if (hasUnary(service)) {
      type.addJavadoc("\n<p>{@link $L} is the same service with unary methods that answer with a\n"
          + "{@code CompletableFuture}, for implementations that must not block a thread per call.\n",
          names.asyncInterface());
    }
    GeneratedTypes.decorate(type, service);
    if (service.deprecated()) {
      type.addAnnotation(Deprecated.class);
    }
    for (MethodModel method : service.methods()) {
      type.addMethod(signature(method).addModifiers(Modifier.ABSTRACT).build());
    }
    return type.build();
  }

  /**
   * Generates {@code XxxAsync}: the service with unary methods that return a {@code
   * CompletableFuture}, streaming methods as in the blocking interface. A server can serve it, and
   * the client's {@code async()} view implements it.
   */
  static TypeSpec generateAsync(ServiceModel service) {
    GeneratedNames names = service.names();
    TypeSpec.Builder type = TypeSpec.interfaceBuilder(names.asyncInterface())
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("$L", Javadoc.paragraph(service.comment()))
        .addJavadoc("The gRPC service {@code $L}, asynchronous: unary methods answer with a\n"
            + "{@code CompletableFuture}, so an implementation that calls other services need not block\n"
            + "a thread per call. Serve it with {@link $L}; call a remote one through\n"
            + "{@code $L.async()}, which implements it too. Streaming methods are as in {@link $L}.\n"
            + "\n<p>To fail a call with a chosen status, complete the future exceptionally with a\n"
            + "{@code CourierException} or a grpc {@code StatusRuntimeException}.\n",
            service.fullName(), names.server(), names.client(), names.serviceInterface());
    GeneratedTypes.decorate(type, service);
    if (service.deprecated()) {
      type.addAnnotation(Deprecated.class);
    }
    for (MethodModel method : service.methods()) {
      type.addMethod(asyncSignature(method).addModifiers(Modifier.ABSTRACT).build());
    }
    return type.build();
  }

  /** The method's signature in {@code XxxAsync}, with its Javadoc; shared with the client's async view. */
  static MethodSpec.Builder asyncSignature(MethodModel method) {
    if (method.kind() != CallKind.UNARY) {
      return signature(method);
    }
    MethodSpec.Builder m = MethodSpec.methodBuilder(method.javaName())
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("$L", Javadoc.paragraph(method.comment()))
        .addParameter(Types.of(method.request()), "request")
        .returns(ParameterizedTypeName.get(Types.COMPLETABLE_FUTURE, Types.of(method.response())))
        .addJavadoc("{@code $L}: returns a future of the response; complete it exceptionally to fail the call.\n",
            method.fullName());
    if (method.deprecated()) {
      m.addAnnotation(Deprecated.class);
    }
    return m;
  }

  static boolean hasUnary(ServiceModel service) {
    for (MethodModel m : service.methods()) {
      if (m.kind() == CallKind.UNARY) {
        return true;
      }
    }
    return false;
  }

  /** The method's signature, with its Javadoc; shared with the client, which overrides it. */
  static MethodSpec.Builder signature(MethodModel method) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(method.javaName())
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("$L", Javadoc.paragraph(method.comment()));
    TypeName request = Types.of(method.request());
    switch (method.kind()) {
      case UNARY -> m.addParameter(request, "request")
          .returns(Types.of(method.response()))
          .addJavadoc("{@code $L}: returns the response, or throws to fail the call.\n", method.fullName());
      case SERVER_STREAMING -> m.addParameter(request, "request")
          .addParameter(Types.observerOf(method.response()), "responses")
          .addJavadoc("{@code $L}: writes any number of responses, then completes or fails.\n", method.fullName());
      case CLIENT_STREAMING -> m.addParameter(Types.observerOf(method.response()), "responses")
          .returns(Types.observerOf(method.request()))
          .addJavadoc("{@code $L}: returns the observer that receives the requests; one response follows.\n",
              method.fullName());
      case BIDI_STREAMING -> m.addParameter(Types.observerOf(method.response()), "responses")
          .returns(Types.observerOf(method.request()))
          .addJavadoc("{@code $L}: returns the observer that receives the requests; responses flow independently.\n",
              method.fullName());
    }
    if (method.deprecated()) {
      m.addAnnotation(Deprecated.class);
    }
    return m;
  }
}
