package dev.courier.codegen.java;

import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import dev.courier.codegen.GeneratedFile;
import dev.courier.codegen.model.ServiceModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns already-read services into Java sources: per service its interface, {@code XxxMethods},
 * client and server, and for a service with queue-backed methods its queue client and worker.
 * One generator class per emitted type; this class only collects their files. Pure and stateless:
 * no IO, and the same services always give byte-identical files.
 *
 * @since 0.1.0
 */
public final class JavaSourceGenerator {
  private JavaSourceGenerator() {}

  /**
   * Generates the Java files of {@code services}.
   *
   * @param services the build's services, as {@link dev.courier.codegen.model.ModelReader#read} gives them
   * @return files sorted by path ({@code shop/InventoryClient.java}), relative to the sources output folder
   */
  public static List<GeneratedFile> generate(List<ServiceModel> services) {
    List<GeneratedFile> files = new ArrayList<>();
    for (ServiceModel service : services) {
      for (TypeSpec type : types(service)) {
        JavaFile file = GeneratedTypes.file(service, type);
        String dir = file.packageName().isEmpty() ? "" : file.packageName().replace('.', '/') + "/";
        files.add(new GeneratedFile(dir + file.typeSpec().name() + ".java", file.toString()));
      }
    }
    files.sort(GeneratedFile.BY_PATH);
    return List.copyOf(files);
  }

  /** Every type generated for {@code service}: one per name of {@link ServiceModel#generatedTypeNames()}. */
  private static List<TypeSpec> types(ServiceModel service) {
    List<TypeSpec> types = new ArrayList<>();
    types.add(InterfaceGenerator.generate(service));
    types.add(InterfaceGenerator.generateAsync(service));
    types.add(MethodsGenerator.generate(service));
    types.add(ClientGenerator.generate(service));
    types.add(ServerGenerator.generate(service));
    if (!service.queueMethods().isEmpty()) {
      types.add(QueueClientGenerator.generate(service));
      types.add(QueueWorkerGenerator.generate(service));
    }
    return types;
  }
}
