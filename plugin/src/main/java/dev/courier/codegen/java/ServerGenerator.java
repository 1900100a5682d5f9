package dev.courier.codegen.java;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.courier.codegen.model.GeneratedNames;
import dev.courier.codegen.model.MethodModel;
import dev.courier.codegen.model.ServiceModel;
import javax.lang.model.element.Modifier;

/**
 * Generates {@code XxxServer}: binds an implementation of the service interface to a grpc
 * {@code ServerServiceDefinition}, and starts a server for it in one line.
 */
final class ServerGenerator {
  private ServerGenerator() {}

  static TypeSpec generate(ServiceModel service) {
    GeneratedNames names = service.names();
    ClassName iface = ClassName.get(service.javaPackage(), names.serviceInterface());
    ClassName methods = ClassName.get(service.javaPackage(), names.methods());
    TypeSpec.Builder type = TypeSpec.classBuilder(names.server())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc("Serves an implementation of {@link $T}, or of its asynchronous flavour {@link $T},\n"
            + "over gRPC: {@link #bind} and {@link #bindAsync} give the grpc {@code ServerServiceDefinition}\n"
            + "for any grpc server; {@link #builder}, {@link #builderAsync} and {@link #start} start a\n"
            + "Courier server for it.\n",
            iface, ClassName.get(service.javaPackage(), names.asyncInterface()));
    GeneratedTypes.decorate(type, service);
    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());

    ClassName asyncIface = ClassName.get(service.javaPackage(), names.asyncInterface());
    type.addMethod(bind(service, iface, methods, false));
    // Named apart rather than overloaded: for a one-method service both interfaces take a lambda,
    // and an overload would make such a lambda ambiguous.
    type.addMethod(bind(service, asyncIface, methods, true));
    type.addMethod(MethodSpec.methodBuilder("builder")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addParameter(iface, "service")
        .returns(Types.COURIER_SERVER_BUILDER)
        .addJavadoc("A server builder that already serves {@code service}; set the address, then start it.\n")
        .addStatement("return $T.builder().addService(bind(service))", Types.COURIER_SERVER)
        .build());
    type.addMethod(MethodSpec.methodBuilder("builderAsync")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addParameter(asyncIface, "service")
        .returns(Types.COURIER_SERVER_BUILDER)
        .addJavadoc("A server builder that already serves the asynchronous {@code service}; set the address,\n"
            + "then start it.\n")
        .addStatement("return $T.builder().addService(bindAsync(service))", Types.COURIER_SERVER)
        .build());
    type.addMethod(MethodSpec.methodBuilder("start")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addParameter(iface, "service")
        .addParameter(int.class, "port")
        .returns(Types.COURIER_SERVER)
        .addJavadoc("Starts a server for {@code service} on every interface at {@code port} (0 picks a free\n"
            + "port; see {@code CourierServer.port()}). Close it to stop gracefully.\n")
        .addStatement("return builder(service).port(port).start()")
        .build());
    ClassName client = ClassName.get(service.javaPackage(), names.client());
    TypeName inProcess = ParameterizedTypeName.get(Types.IN_PROCESS, client);
    type.addMethod(MethodSpec.methodBuilder("inProcess")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addParameter(iface, "service")
        .returns(inProcess)
        .addJavadoc("Serves {@code service} over grpc's in-process transport, with a {@link $T} connected to\n"
            + "it: for tests, through the same guards, deadlines and retries as over a socket. Close it to\n"
            + "stop both.\n", client)
        .addStatement("return $T.start(bind(service), $T.builder())", Types.IN_PROCESS, client)
        .build());
    type.addMethod(MethodSpec.methodBuilder("inProcessAsync")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addParameter(asyncIface, "service")
        .returns(inProcess)
        .addJavadoc("{@link #inProcess} for the asynchronous {@code service}.\n")
        .addStatement("return $T.start(bindAsync(service), $T.builder())", Types.IN_PROCESS, client)
        .build());
    return type.build();
  }

  /** {@code bind(service)} for the blocking or the async flavour of the interface. */
  private static MethodSpec bind(ServiceModel service, ClassName flavour, ClassName methods, boolean async) {
    CodeBlock.Builder bind = CodeBlock.builder().add("return $T.builder($T.SERVICE)\n", Types.SERVER_SERVICE_DEFINITION, methods)
        .indent().indent();
    for (MethodModel method : service.methods()) {
      String binding = switch (method.kind()) {
        case UNARY -> async ? "asyncUnary" : "unary";
        case SERVER_STREAMING -> "serverStreaming";
        case CLIENT_STREAMING -> "clientStreaming";
        case BIDI_STREAMING -> "bidiStreaming";
      };
      bind.add(".addMethod($T.$L($T.$L, service::$L))\n",
          Types.SERVICE_BINDINGS, binding, methods, method.constantName(), method.javaName());
    }
    bind.add(".build();\n").unindent().unindent();
    return MethodSpec.methodBuilder(async ? "bindAsync" : "bind")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addParameter(flavour, "service")
        .returns(Types.SERVER_SERVICE_DEFINITION)
        .addJavadoc("The grpc service definition that dispatches calls of {@code $L} to {@code service}$L.\n",
            service.fullName(), async ? ", whose\nunary methods answer with a future" : "")
        .addCode(bind.build())
        .build();
  }
}
