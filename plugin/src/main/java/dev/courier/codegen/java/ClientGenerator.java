package dev.courier.codegen.java;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import dev.courier.codegen.model.CallKind;
import dev.courier.codegen.model.GeneratedNames;
import dev.courier.codegen.model.MethodModel;
import dev.courier.codegen.model.ServiceModel;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Generates {@code XxxClient}: implements the service interface by handing every call to the
 * runtime's call pipeline, and adds a {@code CompletableFuture} variant of each unary method.
 */
final class ClientGenerator {
  private ClientGenerator() {}

  static TypeSpec generate(ServiceModel service) {
    GeneratedNames names = service.names();
    ClassName self = ClassName.get(service.javaPackage(), names.client());
    ClassName methods = ClassName.get(service.javaPackage(), names.methods());
    TypeSpec.Builder type = TypeSpec.classBuilder(self)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(ClassName.get(service.javaPackage(), names.serviceInterface()))
        .addSuperinterface(AutoCloseable.class)
        .addJavadoc("Calls {@code $L} on remote servers, through Courier's call pipeline: the deadline,\n"
            + "retries, balancing and hedging declared in {@code $L}, overridable in {@link #builder()}.\n"
            + "\n<p>Thread-safe: build one and share it. {@link #close()} releases its connections. A failed\n"
            + "call throws {@code CourierException}, which keeps the status, message and trailers.\n",
            service.fullName(), service.protoFile());
    GeneratedTypes.decorate(type, service);
    type.addField(Types.CLIENT_RUNTIME, "runtime", Modifier.PRIVATE, Modifier.FINAL);
    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE)
        .addParameter(Types.CLIENT_RUNTIME, "runtime")
        .addStatement("this.runtime = runtime")
        .build());
    type.addMethod(MethodSpec.methodBuilder("builder")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(ParameterizedTypeName.get(Types.CLIENT_BUILDER, self))
        .addJavadoc("A builder: give it targets ({@code \"host:port,host:port\"}) or a discovery source,\n"
            + "and override declared policies if needed. It knows every method of the service, so that\n"
            + "overrides and live configuration are checked against each of them.\n")
        .addStatement("return $T.forService($T.SERVICE_NAME, $T::new)\n.methods($L)", Types.CLIENT_BUILDER, methods, self,
            CodeBlock.join(methodConstants(service, methods), ",$W"))
        .build());
    type.addMethod(MethodSpec.methodBuilder("withDeadline")
        .addModifiers(Modifier.PUBLIC)
        .addParameter(Types.DURATION, "deadline")
        .returns(self)
        .addJavadoc("A view of this client whose calls must finish within {@code deadline}, all attempts\n"
            + "included; it shares this client's connections.\n")
        .addStatement("return new $T(runtime.withDeadline(deadline))", self)
        .build());
    type.addMethod(MethodSpec.methodBuilder("withHashKey")
        .addModifiers(Modifier.PUBLIC)
        .addParameter(Types.STRING, "hashKey")
        .returns(self)
        .addJavadoc("A view of this client whose calls use {@code hashKey} for consistent hashing instead of\n"
            + "the request's declared key field; it shares this client's connections.\n")
        .addStatement("return new $T(runtime.withHashKey(hashKey))", self)
        .build());
    type.addMethod(MethodSpec.methodBuilder("withMetadata")
        .addModifiers(Modifier.PUBLIC)
        .addParameter(Types.METADATA, "headers")
        .returns(self)
        .addJavadoc("A view of this client whose calls also send {@code headers} (copied), on every attempt\n"
            + "and hedge; it shares this client's connections.\n")
        .addStatement("return new $T(runtime.withMetadata(headers))", self)
        .build());
    type.addMethod(MethodSpec.methodBuilder("withHeader")
        .addModifiers(Modifier.PUBLIC)
        .addParameter(Types.STRING, "name")
        .addParameter(Types.STRING, "value")
        .returns(self)
        .addJavadoc("A view of this client whose calls also send the text header {@code name: value}; see\n"
            + "{@link #withMetadata}.\n")
        .addStatement("return new $T(runtime.withHeader(name, value))", self)
        .build());
    type.addMethod(MethodSpec.methodBuilder("capturing")
        .addModifiers(Modifier.PUBLIC)
        .addParameter(Types.RESPONSE_CAPTURE, "response")
        .returns(self)
        .addJavadoc("A view of this client whose calls record their response headers and trailers in\n"
            + "{@code response} before they return; one call at a time per capture.\n")
        .addStatement("return new $T(runtime.capturing(response))", self)
        .build());
    ClassName asyncIface = ClassName.get(service.javaPackage(), names.asyncInterface());
    type.addMethod(MethodSpec.methodBuilder("async")
        .addModifiers(Modifier.PUBLIC)
        .returns(asyncIface)
        .addJavadoc("This client as {@link $T}: unary calls return a future instead of blocking. It\n"
            + "shares this client's connections and views.\n", asyncIface)
        .addStatement("return new AsyncView(runtime)")
        .build());
    for (MethodModel method : service.methods()) {
      type.addMethod(call(method, methods));
      if (method.kind() == CallKind.UNARY) {
        type.addMethod(asyncCall(method, methods));
      }
    }
    type.addType(asyncView(service, asyncIface, methods));
    type.addMethod(MethodSpec.methodBuilder("close")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("Closes the connections; calls still in flight are cancelled after a short grace period.\n")
        .addStatement("runtime.close()")
        .build());
    return type.build();
  }

  /** The class behind {@code async()}: the interface's methods, each handed to the runtime. */
  private static TypeSpec asyncView(ServiceModel service, ClassName asyncIface, ClassName methods) {
    TypeSpec.Builder view = TypeSpec.classBuilder("AsyncView")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addSuperinterface(asyncIface)
        .addField(Types.CLIENT_RUNTIME, "runtime", Modifier.PRIVATE, Modifier.FINAL)
        .addMethod(MethodSpec.constructorBuilder()
            .addParameter(Types.CLIENT_RUNTIME, "runtime")
            .addStatement("this.runtime = runtime")
            .build());
    for (MethodModel method : service.methods()) {
      if (method.kind() == CallKind.UNARY) {
        view.addMethod(InterfaceGenerator.asyncSignature(method).addAnnotation(Override.class)
            .addStatement("return runtime.asyncUnary($T.$L, request)", methods, method.constantName())
            .build());
      } else {
        view.addMethod(call(method, methods));
      }
    }
    return view.build();
  }

  private static MethodSpec call(MethodModel method, ClassName methods) {
    MethodSpec.Builder m = InterfaceGenerator.signature(method).addAnnotation(Override.class);
    String constant = method.constantName();
    switch (method.kind()) {
      case UNARY -> m.addStatement("return runtime.blockingUnary($T.$L, request)", methods, constant);
      case SERVER_STREAMING -> m.addStatement("runtime.serverStreaming($T.$L, request, responses)", methods, constant);
      case CLIENT_STREAMING -> m.addStatement("return runtime.clientStreaming($T.$L, responses)", methods, constant);
      case BIDI_STREAMING -> m.addStatement("return runtime.bidiStreaming($T.$L, responses)", methods, constant);
    }
    return m.build();
  }

  private static MethodSpec asyncCall(MethodModel method, ClassName methods) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(method.asyncJavaName())
        .addModifiers(Modifier.PUBLIC)
        .addParameter(Types.of(method.request()), "request")
        .returns(ParameterizedTypeName.get(Types.COMPLETABLE_FUTURE, Types.of(method.response())))
        .addJavadoc("$L", Javadoc.paragraph(method.comment()))
        .addJavadoc("{@code $L} without blocking: the future completes with the response, or\n"
            + "exceptionally with a {@code CourierException}.\n", method.fullName())
        .addStatement("return runtime.asyncUnary($T.$L, request)", methods, method.constantName());
    if (method.deprecated()) {
      m.addAnnotation(Deprecated.class);
    }
    return m.build();
  }

  /** {@code XxxMethods.CONSTANT} of every method, in declaration order. */
  private static List<CodeBlock> methodConstants(ServiceModel service, ClassName methods) {
    List<CodeBlock> constants = new ArrayList<>();
    for (MethodModel m : service.methods()) {
      constants.add(CodeBlock.of("$T.$L", methods, m.constantName()));
    }
    return constants;
  }
}
