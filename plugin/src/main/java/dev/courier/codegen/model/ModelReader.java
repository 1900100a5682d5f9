package dev.courier.codegen.model;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.courier.codegen.CodegenException;
import dev.courier.options.MethodOptions;
import dev.courier.options.ServiceOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Reads protoc's descriptor set into a validated {@link CodegenModel}, once per build. Every
 * problem is collected (not only the first), each naming the {@code .proto} file and line, the
 * service and the method. Stateless.
 */
public final class ModelReader {
  private static final int SERVICE_FIELD = 6;
  private static final int METHOD_FIELD = 2;

  private ModelReader() {}

  /**
   * The model of the services declared in {@code filesToGenerate}, in file then declaration order,
   * with the linked descriptors of every file of {@code set}.
   *
   * @param set protoc's output with {@code --include_imports --include_source_info}
   * @param filesToGenerate proto paths as protoc names them ({@code shop/inventory.proto})
   * @throws CodegenException listing every problem found
   */
  public static CodegenModel read(FileDescriptorSet set, Collection<String> filesToGenerate)
      throws CodegenException {
    return read(set, filesToGenerate, Map.of());
  }

  /**
   * As {@link #read(FileDescriptorSet, Collection)}, with base names for services given by the
   * build instead of by a {@code java_name} option, for {@code .proto} files the user cannot edit.
   *
   * @param javaNames full service name (such as {@code grpc.testing.TestService}) to the base
   *     name of its generated types; it wins over the service's own {@code java_name}
   * @throws CodegenException listing every problem found, a name for an unknown service included
   */
  public static CodegenModel read(FileDescriptorSet set, Collection<String> filesToGenerate,
      Map<String, String> javaNames) throws CodegenException {
    return read(ProtocDescriptors.of(set), filesToGenerate, javaNames);
  }

  /**
   * As {@link #read(FileDescriptorSet, Collection, Map)}, from a set whose source info is read only
   * for the files whose comments and lines are needed.
   */
  public static CodegenModel read(ProtocDescriptors set, Collection<String> filesToGenerate,
      Map<String, String> javaNames) throws CodegenException {
    List<String> problems = new ArrayList<>();
    Map<String, FileDescriptor> files = fileDescriptors(set.files());
    JavaTypeIndex index = new JavaTypeIndex(List.copyOf(files.values()));
    List<ReadService> services = new ArrayList<>();
    for (String name : new TreeSet<>(filesToGenerate)) {
      FileDescriptor file = files.get(name);
      if (file == null) {
        throw new CodegenException(name + ": not in protoc's descriptor set (expected one of " + files.keySet() + ")");
      }
      for (ServiceDescriptor service : file.getServices()) {
        services.add(readService(file, service, set.sources().of(name), index, javaNames, problems));
      }
    }
    checkJavaNames(javaNames, services, problems);
    checkCollisions(services, index, problems);
    if (!problems.isEmpty()) {
      throw new CodegenException(problems);
    }
    List<ServiceModel> models = new ArrayList<>();
    for (ReadService service : services) {
      models.add(service.model());
    }
    return new CodegenModel(withPackageTypeNames(models, index), files, set.sources());
  }

  /** A service as read, and where it is declared ({@code file:line: service name}) for its problems. */
  private record ReadService(ServiceModel model, String where) {}

  /** Every name given by the build must be a service that is generated; a typo would go unnoticed. */
  private static void checkJavaNames(Map<String, String> javaNames, List<ReadService> services, List<String> problems) {
    if (javaNames.isEmpty()) {
      return;
    }
    List<String> known = new ArrayList<>();
    for (ReadService s : services) {
      known.add(s.model().fullName());
    }
    for (String service : new TreeSet<>(javaNames.keySet())) {
      if (!known.contains(service)) {
        String nearest = Suggestions.closest(service, known).map(k -> "did you mean " + k + "? ").orElse("");
        problems.add("javaNames: no service " + service + " in the .proto files generated from (" + nearest
            + "expected a full service name, one of " + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
      }
    }
  }

  /**
   * Every file of the set as a linked protobuf-java descriptor, by path, in dependency order.
   *
   * @throws CodegenException when the set is incomplete or inconsistent
   */
  private static Map<String, FileDescriptor> fileDescriptors(List<FileDescriptorProto> set) throws CodegenException {
    Map<String, FileDescriptor> built = new LinkedHashMap<>();
    for (FileDescriptorProto proto : set) {
      List<FileDescriptor> deps = new ArrayList<>();
      for (String dependency : proto.getDependencyList()) {
        FileDescriptor dep = built.get(dependency);
        if (dep == null) {
          throw new CodegenException(proto.getName() + ": import \"" + dependency
              + "\" is missing from protoc's descriptor set (run protoc with --include_imports)");
        }
        deps.add(dep);
      }
      FileDescriptor builtIn = BuiltInDescriptors.linked(proto);
      if (builtIn != null) {
        built.put(proto.getName(), builtIn);
        continue;
      }
      try {
        built.put(proto.getName(), FileDescriptor.buildFrom(proto, deps.toArray(new FileDescriptor[0])));
      } catch (DescriptorValidationException e) {
        throw new CodegenException(proto.getName() + ": " + e.getMessage());
      }
    }
    return built;
  }

  private static ReadService readService(FileDescriptor file, ServiceDescriptor service, SourceLocations info,
      JavaTypeIndex index, Map<String, String> javaNames, List<String> problems) {
    FileDescriptorProto fileProto = file.toProto();
    ServiceDescriptorProto serviceProto = fileProto.getService(service.getIndex());
    int serviceIndex = service.getIndex();
    String serviceWhere = file.getName() + ":" + info.line(SERVICE_FIELD, serviceIndex)
        + ": service " + service.getFullName();
    // One sink for every check of the service: each method reference is a class a cold JVM spins.
    Consumer<String> report = problems::add;
    ServiceOptions serviceOptions = PolicyReader.serviceOptions(serviceProto.getOptions(), serviceWhere, report);
    String given = javaNames.get(service.getFullName());
    String baseName = given != null ? given.trim()
        : serviceOptions.getJavaName().isEmpty() ? service.getName() : serviceOptions.getJavaName();
    if (!javaIdentifier(baseName)) {
      problems.add(serviceWhere + ": " + (given != null ? "javaNames " + service.getFullName() + " =" : "java_name")
          + " \"" + baseName + "\" is not a Java type name (expected letters, digits and _, starting with a letter)");
    }

    List<MethodModel> methods = new ArrayList<>();
    for (MethodDescriptor method : service.getMethods()) {
      MethodDescriptorProto methodProto = serviceProto.getMethod(method.getIndex());
      String where = file.getName() + ":" + info.line(SERVICE_FIELD, serviceIndex, METHOD_FIELD, method.getIndex())
          + ": service " + service.getFullName() + ", method " + method.getName();
      MethodOptions options = PolicyReader.methodOptions(methodProto.getOptions(), where, report);
      CallKind kind = CallKind.of(method.isClientStreaming(), method.isServerStreaming());
      PolicyModel policy = PolicyReader.merge(serviceOptions, options, kind, where, report);
      HashKeyModel hashKey = options.getHashKey().isEmpty() ? null
          : HashKeyResolver.resolve(options.getHashKey(), method.getInputType(), where, report);
      methods.add(new MethodModel(
          method.getName(),
          service.getFullName() + "/" + method.getName(),
          null, null, null,
          kind,
          index.typeOf(method.getInputType()),
          index.typeOf(method.getOutputType()),
          policy,
          hashKey,
          comment(info, SERVICE_FIELD, serviceIndex, METHOD_FIELD, method.getIndex()),
          method.getOptions().getDeprecated()));
    }
    return new ReadService(new ServiceModel(
        file.getName(),
        service.getName(),
        service.getFullName(),
        JavaTypeIndex.javaPackage(file),
        baseName,
        index.fileClass(file),
        comment(info, SERVICE_FIELD, serviceIndex),
        MethodNamer.name(service.getFullName(), methods, serviceWhere, report),
        service.getOptions().getDeprecated(),
        Set.of()), serviceWhere);
  }

  /**
   * Generated type names must not clash with protoc's types or with each other in one package: one
   * problem per service, at its line, naming every type of it that clashes.
   */
  private static void checkCollisions(List<ReadService> services, JavaTypeIndex index, List<String> problems) {
    Map<String, Map<String, String>> ours = new HashMap<>();
    for (ReadService read : services) {
      ServiceModel service = read.model();
      Map<String, String> taken = index.topLevelNames(service.javaPackage());
      Map<String, String> mine = ours.get(service.javaPackage());
      if (mine == null) {
        mine = new HashMap<>();
        ours.put(service.javaPackage(), mine);
      }
      List<String> clashes = new ArrayList<>();
      for (String type : service.generatedTypeNames()) {
        String clash = taken.containsKey(type) ? taken.get(type) : mine.get(type);
        if (clash != null) {
          clashes.add(type + " collides with " + clash);
        }
      }
      for (String type : service.generatedTypeNames()) {
        mine.putIfAbsent(type, "Courier's type " + type + " for service " + service.fullName() + " in "
            + service.protoFile());
      }
      if (!clashes.isEmpty()) {
        String pkg = service.javaPackage().isEmpty() ? "the default package" : "package " + service.javaPackage();
        GeneratedNames fixed = GeneratedNames.of(service.baseName() + "Service");
        problems.add(read.where() + ": Courier's " + (clashes.size() == 1 ? "type " : "types ")
            + String.join("; ", clashes) + " in " + pkg + ". Fix: add option (courier.service) = { java_name: \""
            + fixed.serviceInterface() + "\" }; to the service (Courier then names its types "
            + fixed.serviceInterface() + ", " + fixed.client() + ", ...), or, for a .proto you cannot edit, give the"
            + " plugin <javaNames><" + service.fullName() + ">" + fixed.serviceInterface() + "</"
            + service.fullName() + "></javaNames>; or rename one side, or give the files different java_package"
            + " options");
      }
    }
  }

  private static List<ServiceModel> withPackageTypeNames(List<ServiceModel> services, JavaTypeIndex index) {
    Map<String, Set<String>> byPackage = new HashMap<>();
    for (ServiceModel s : services) {
      Set<String> names = byPackage.get(s.javaPackage());
      if (names == null) {
        names = new TreeSet<>(index.topLevelNames(s.javaPackage()).keySet());
        byPackage.put(s.javaPackage(), names);
      }
      names.addAll(s.generatedTypeNames());
    }
    List<ServiceModel> result = new ArrayList<>();
    for (ServiceModel s : services) {
      result.add(new ServiceModel(s.protoFile(), s.protoName(), s.fullName(), s.javaPackage(), s.baseName(),
          s.fileClass(), s.comment(), s.methods(), s.deprecated(), byPackage.get(s.javaPackage())));
    }
    return List.copyOf(result);
  }

  private static boolean javaIdentifier(String name) {
    if (name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0)) || JavaNames.isKeyword(name)) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      if (!Character.isJavaIdentifierPart(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static String comment(SourceLocations locations, int... path) {
    return Comments.clean(locations.rawComment(path));
  }
}
