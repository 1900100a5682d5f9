package dev.courier.codegen.model;

import java.util.List;

/**
 * One service as Courier generates it. Immutable.
 *
 * @param protoFile the {@code .proto} path as protoc names it ({@code shop/inventory.proto})
 * @param protoName the service's simple name ({@code Inventory})
 * @param fullName the gRPC service name ({@code shop.Inventory})
 * @param javaPackage the package of the generated types, possibly empty
 * @param baseName the base of the generated type names ({@code Inventory}); see {@link #names()}
 * @param fileClass the protoc outer class of the file, for its {@code getDescriptor()}
 * @param comment the {@code .proto} comment, possibly empty
 * @param methods in declaration order
 * @param deprecated whether the service is marked {@code deprecated}
 * @param packageTypeNames every top-level type name in the Java package (protoc's and Courier's),
 *     so that generated code can qualify a {@code java.lang} type that one of them shadows
 */
public record ServiceModel(
    String protoFile,
    String protoName,
    String fullName,
    String javaPackage,
    String baseName,
    TypeRef fileClass,
    String comment,
    List<MethodModel> methods,
    boolean deprecated,
    java.util.Set<String> packageTypeNames) {
  public ServiceModel {
    methods = List.copyOf(methods);
    packageTypeNames = java.util.Set.copyOf(packageTypeNames);
  }

  /** The methods that have a queue-backed variant. */
  public List<MethodModel> queueMethods() {
    List<MethodModel> queued = new java.util.ArrayList<>();
    for (MethodModel m : methods) {
      if (m.policy().queue()) {
        queued.add(m);
      }
    }
    return List.copyOf(queued);
  }

  /** Whether generated code refers to anything deprecated. */
  public boolean usesDeprecated() {
    if (deprecated) {
      return true;
    }
    for (MethodModel m : methods) {
      if (m.deprecated() || m.request().deprecated() || m.response().deprecated()) {
        return true;
      }
    }
    return false;
  }

  /** The simple names of the Java types generated for this service, made from {@link #baseName()}. */
  public GeneratedNames names() {
    return GeneratedNames.of(baseName);
  }

  /**
   * The simple names of the Java types generated for this service, as {@link GeneratedNames#all}
   * lists them: the queue client and worker only when it has queue-backed methods.
   */
  public List<String> generatedTypeNames() {
    return names().all(!queueMethods().isEmpty());
  }
}
