package dev.courier.codegen.java;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.courier.codegen.model.MethodModel;
import dev.courier.codegen.model.ServiceModel;
import javax.lang.model.element.Modifier;

/**
 * Generates {@code XxxMethods}: the service name, one {@code RpcMethod} per rpc (its gRPC
 * descriptor with protobuf marshalling and exactly gRPC's full name, plus the declared policy and
 * hash-key reader), and the gRPC {@code ServiceDescriptor}.
 */
final class MethodsGenerator {
  private MethodsGenerator() {}

  static TypeSpec generate(ServiceModel service) {
    TypeSpec.Builder type = TypeSpec.classBuilder(service.names().methods())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc("The methods of {@code $L}, as gRPC names them: wire-compatible with every gRPC\n"
            + "implementation. Each constant carries the grpc {@code MethodDescriptor} (see\n"
            + "{@code RpcMethod.descriptor()}) and the policy declared in {@code $L}.\n",
            service.fullName(), service.protoFile());
    GeneratedTypes.decorate(type, service);
    type.addField(FieldSpec.builder(Types.STRING, "SERVICE_NAME", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The gRPC service name.\n")
        .initializer("$S", service.fullName())
        .build());
    for (MethodModel method : service.methods()) {
      type.addField(rpcMethod(service, method));
    }
    type.addField(serviceDescriptor(service));
    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    return type.build();
  }

  private static FieldSpec rpcMethod(ServiceModel service, MethodModel method) {
    CodeBlock descriptor = CodeBlock.builder()
        .add("$T.<$T, $T>newBuilder()\n", Types.METHOD_DESCRIPTOR, Types.of(method.request()), Types.of(method.response()))
        .indent().indent()
        .add(".setType($T.$L)\n", Types.METHOD_TYPE, method.kind().grpcMethodType())
        .add(".setFullMethodName($S)\n", method.fullName())
        .add(".setRequestMarshaller($T.marshaller($T.getDefaultInstance()))\n", Types.PROTO_UTILS, Types.of(method.request()))
        .add(".setResponseMarshaller($T.marshaller($T.getDefaultInstance()))\n", Types.PROTO_UTILS, Types.of(method.response()))
        .add(".setSchemaDescriptor($T.method($T::getDescriptor, $S, $S))\n",
            Types.PROTO_SCHEMA, Types.of(service.fileClass()), service.protoName(), method.protoName())
        .add(".build()")
        .unindent().unindent()
        .build();
    CodeBlock.Builder init = CodeBlock.builder().add("$T.of(\n", Types.RPC_METHOD).indent().indent()
        .add("$L,\n", descriptor)
        .add("$L", PolicyCode.policy(method.policy()));
    if (method.hashKey() != null) {
      init.add(",\n$L", PolicyCode.hashKeyReader(method.hashKey()));
    }
    init.add(")").unindent().unindent();
    FieldSpec.Builder field = FieldSpec.builder(
            Types.rpcMethodOf(method.request(), method.response()), method.constantName(),
            Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L", Javadoc.paragraph(method.comment()))
        .addJavadoc("{@code $L}: $L.\n", method.fullName(), describe(method))
        .initializer(init.build());
    if (method.deprecated()) {
      field.addAnnotation(Deprecated.class);
    }
    return field.build();
  }

  private static String describe(MethodModel method) {
    String kind = switch (method.kind()) {
      case UNARY -> "unary";
      case SERVER_STREAMING -> "server-streaming";
      case CLIENT_STREAMING -> "client-streaming";
      case BIDI_STREAMING -> "bidirectional-streaming";
    };
    return kind + (method.hashKey() == null ? "" : ", hash key {@code " + method.hashKey().path() + "}");
  }

  private static FieldSpec serviceDescriptor(ServiceModel service) {
    CodeBlock.Builder init = CodeBlock.builder()
        .add("$T.newBuilder(SERVICE_NAME)\n", Types.SERVICE_DESCRIPTOR)
        .indent().indent()
        .add(".setSchemaDescriptor($T.service($T::getDescriptor, $S))\n",
            Types.PROTO_SCHEMA, Types.of(service.fileClass()), service.protoName());
    for (MethodModel method : service.methods()) {
      init.add(".addMethod($L.descriptor())\n", method.constantName());
    }
    init.add(".build()").unindent().unindent();
    return FieldSpec.builder(Types.SERVICE_DESCRIPTOR, "SERVICE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The gRPC service descriptor, with every method.\n")
        .initializer(init.build())
        .build();
  }
}
