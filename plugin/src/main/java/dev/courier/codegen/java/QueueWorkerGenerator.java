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
 * Generates {@code XxxQueueWorker}: takes the calls of the queue-backed methods off a queue and
 * runs them on the same implementation the gRPC server uses.
 */
final class QueueWorkerGenerator {
  private QueueWorkerGenerator() {}

  static TypeSpec generate(ServiceModel service) {
    GeneratedNames names = service.names();
    ClassName iface = ClassName.get(service.javaPackage(), names.serviceInterface());
    ClassName methods = ClassName.get(service.javaPackage(), names.methods());
    TypeSpec.Builder type = TypeSpec.classBuilder(names.queueWorker())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc("Serves the queue-backed methods of {@code $L} from a message queue, on an\n"
            + "implementation of {@link $T}: at-least-once delivery, duplicates answered without running\n"
            + "twice, expired calls skipped, undecodable or failing calls sent to the dead-letter topic.\n",
            service.fullName(), iface);
    GeneratedTypes.decorate(type, service);
    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    CodeBlock.Builder handlers = CodeBlock.builder().add("return $T.builder(transport)", Types.QUEUE_WORKER_RUNTIME)
        .indent().indent();
    for (MethodModel method : service.queueMethods()) {
      handlers.add("\n.handle($T.$L, service::$L)", methods, method.constantName(), method.javaName());
    }
    handlers.add(";\n").unindent().unindent();
    type.addMethod(MethodSpec.methodBuilder("builder")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addParameter(iface, "service")
        .addParameter(Types.QUEUE_TRANSPORT, "transport")
        .returns(Types.QUEUE_WORKER_BUILDER)
        .addJavadoc("A worker builder that already routes every queue-backed method to {@code service};\n"
            + "tune concurrency and delivery attempts, then start it.\n")
        .addCode(handlers.build())
        .build());
    type.addMethod(MethodSpec.methodBuilder("start")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addParameter(iface, "service")
        .addParameter(Types.QUEUE_TRANSPORT, "transport")
        .returns(Types.QUEUE_WORKER_RUNTIME)
        .addJavadoc("Starts a worker with the default settings; close it to stop gracefully.\n")
        .addStatement("return builder(service, transport).start()")
        .build());
    return type.build();
  }
}
