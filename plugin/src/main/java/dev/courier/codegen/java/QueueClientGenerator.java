package dev.courier.codegen.java;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import dev.courier.codegen.model.GeneratedNames;
import dev.courier.codegen.model.MethodModel;
import dev.courier.codegen.model.ServiceModel;
import java.util.HashSet;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Generates {@code XxxQueueClient}: the methods marked {@code queue}, carried over a message queue
 * (in-memory or Kafka) instead of a direct gRPC call. Each returns a {@code CompletableFuture} of
 * the reply; a method returning {@code google.protobuf.Empty} also gets a fire-and-forget
 * {@code sendXxx} variant.
 */
final class QueueClientGenerator {
  private static final String EMPTY = "google.protobuf.Empty";
  private static final ClassName METADATA = ClassName.get("io.grpc", "Metadata");
  private static final ClassName QUEUE_STATS = ClassName.get("dev.courier.runtime.queue", "QueueStats");

  private QueueClientGenerator() {}

  static TypeSpec generate(ServiceModel service) {
    GeneratedNames names = service.names();
    ClassName self = ClassName.get(service.javaPackage(), names.queueClient());
    ClassName methods = ClassName.get(service.javaPackage(), names.methods());
    TypeSpec.Builder type = TypeSpec.classBuilder(self)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(AutoCloseable.class)
        .addJavadoc("Calls the queue-backed methods of {@code $L} through a message queue: each call is\n"
            + "published to the method's request topic and answered by a {@link $L} on the reply topic\n"
            + "of this client. Calls with the same hash key stay in order.\n"
            + "\n<p>Thread-safe: create one per transport and share it.\n",
            service.fullName(), names.queueWorker());
    GeneratedTypes.decorate(type, service);
    type.addField(Types.QUEUE_CLIENT_RUNTIME, "runtime", Modifier.PRIVATE, Modifier.FINAL);
    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE)
        .addParameter(Types.QUEUE_CLIENT_RUNTIME, "runtime")
        .addStatement("this.runtime = runtime")
        .build());
    type.addMethod(MethodSpec.methodBuilder("create")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addParameter(Types.QUEUE_TRANSPORT, "transport")
        .returns(self)
        .addJavadoc("A client that publishes calls on {@code transport} ({@code InMemoryQueue} or {@code KafkaQueue}).\n")
        .addStatement("return new $T($T.create(transport))", self, Types.QUEUE_CLIENT_RUNTIME)
        .build());
    type.addMethod(MethodSpec.methodBuilder("create")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addParameter(Types.QUEUE_TRANSPORT, "transport")
        .addParameter(Types.COURIER_LISTENER, "listener")
        .returns(self)
        .addJavadoc("A client that publishes calls on {@code transport} and tells {@code listener} what happens to them.\n")
        .addStatement("return new $T($T.create(transport, listener))", self, Types.QUEUE_CLIENT_RUNTIME)
        .build());
    type.addMethod(MethodSpec.methodBuilder("withTimeout")
        .addModifiers(Modifier.PUBLIC)
        .addParameter(Types.DURATION, "timeout")
        .returns(self)
        .addJavadoc("A view of this client whose calls fail with {@code DEADLINE_EXCEEDED} when no reply\n"
            + "came within {@code timeout}; a worker does not start a call whose deadline has passed.\n")
        .addStatement("return new $T(runtime.withTimeout(timeout))", self)
        .build());
    type.addMethod(MethodSpec.methodBuilder("withMetadata")
        .addModifiers(Modifier.PUBLIC)
        .addParameter(METADATA, "metadata")
        .returns(self)
        .addJavadoc("A view of this client whose calls carry {@code metadata}; the worker's implementation reads it\n"
            + "with {@code CallContext.current()}, as a gRPC server method does.\n")
        .addStatement("return new $T(runtime.withMetadata(metadata))", self)
        .build());
    type.addMethod(MethodSpec.methodBuilder("stats")
        .addModifiers(Modifier.PUBLIC)
        .returns(QUEUE_STATS)
        .addJavadoc("This client's counters (shared by all its views): calls sent, replied, timed out, and late\n"
            + "replies.\n")
        .addStatement("return runtime.stats()")
        .build());
    Set<String> taken = new HashSet<>();
    service.methods().forEach(m -> taken.add(m.javaName()));
    for (MethodModel method : service.queueMethods()) {
      type.addMethod(MethodSpec.methodBuilder(method.javaName())
          .addModifiers(Modifier.PUBLIC)
          .addParameter(Types.of(method.request()), "request")
          .returns(ParameterizedTypeName.get(Types.COMPLETABLE_FUTURE, Types.of(method.response())))
          .addJavadoc("$L", Javadoc.paragraph(method.comment()))
          .addJavadoc("{@code $L} over the queue: the future completes with the reply, or exceptionally\n"
              + "with a {@code CourierException}.\n", method.fullName())
          .addStatement("return runtime.call($T.$L, request)", methods, method.constantName())
          .build());
      if (method.response().protoName().equals(EMPTY)) {
        String send = "send" + Character.toUpperCase(method.javaName().charAt(0)) + method.javaName().substring(1);
        while (!taken.add(send)) {
          send += "_";
        }
        type.addMethod(MethodSpec.methodBuilder(send)
            .addModifiers(Modifier.PUBLIC)
            .addParameter(Types.of(method.request()), "request")
            .returns(ParameterizedTypeName.get(Types.COMPLETABLE_FUTURE, ClassName.get(Void.class)))
            .addJavadoc("{@code $L}, fire-and-forget: the future completes once the call is durably\n"
                + "enqueued; no reply is awaited.\n", method.fullName())
            .addStatement("return runtime.send($T.$L, request)", methods, method.constantName())
            .build());
      }
    }
    type.addMethod(MethodSpec.methodBuilder("close")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("Stops waiting for replies; pending calls fail.\n")
        .addStatement("runtime.close()")
        .build());
    return type.build();
  }
}
