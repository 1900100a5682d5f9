package dev.courier.codegen.java;

import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import dev.courier.codegen.model.ServiceModel;
import java.util.ArrayList;
import java.util.List;

/** Every Java file for one service: interface, descriptors, client, server, and queue variants. */
public final class JavaGenerator {
  private JavaGenerator() {}

  public static List<JavaFile> generate(ServiceModel service) {
    List<TypeSpec> types = new ArrayList<>();
    types.add(InterfaceGenerator.generate(service));
    types.add(MethodsGenerator.generate(service));
    types.add(ClientGenerator.generate(service));
    types.add(ServerGenerator.generate(service));
    if (!service.queueMethods().isEmpty()) {
      types.add(QueueClientGenerator.generate(service));
      types.add(QueueWorkerGenerator.generate(service));
    }
    List<JavaFile> files = new ArrayList<>();
    for (TypeSpec type : types) {
      files.add(GeneratedTypes.file(service, type));
    }
    return files;
  }
}
