package dev.courier.codegen.java;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
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
        .addJavadoc("Serves an implementation of {@link $T} over gRPC: {@link #bind} gives the grpc\n"
            + "{@code ServerServiceDefinition} for any grpc server; {@link #builder} and {@link #start}\n"
            + "start a Courier server for it.\n", iface);
    GeneratedTypes.decorate(type, service);
    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());

    CodeBlock.Builder bind = CodeBlock.builder().add("return $T.builder($T.SERVICE)\n", Types.SERVER_SERVICE_DEFINITION, methods)
        .indent().indent();
    for (MethodModel method : service.methods()) {
      String binding = switch (method.kind()) {
        case UNARY -> "unary";
        case SERVER_STREAMING -> "serverStreaming";
        case CLIENT_STREAMING -> "clientStreaming";
        case BIDI_STREAMING -> "bidiStreaming";
      };
      bind.add(".addMethod($T.$L($T.$L, service::$L))\n",
          Types.SERVICE_BINDINGS, binding, methods, method.constantName(), method.javaName());
    }
    bind.add(".build();\n").unindent().unindent();
    type.addMethod(MethodSpec.methodBuilder("bind")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addParameter(iface, "service")
        .returns(Types.SERVER_SERVICE_DEFINITION)
        .addJavadoc("The grpc service definition that dispatches calls of {@code $L} to {@code service}.\n",
            service.fullName())
        .addCode(bind.build())
        .build());
    type.addMethod(MethodSpec.methodBuilder("builder")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addParameter(iface, "service")
        .returns(Types.COURIER_SERVER_BUILDER)
        .addJavadoc("A server builder that already serves {@code service}; set the address, then start it.\n")
        .addStatement("return $T.builder().addService(bind(service))", Types.COURIER_SERVER)
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
    return type.build();
  }
}
