package dev.courier.codegen.build;

import dev.courier.codegen.GeneratedFile;
import dev.courier.codegen.java.JavaSourceGenerator;
import dev.courier.codegen.model.ServiceModel;
import java.util.List;

/**
 * The Java source generator as the pipeline sees it: the services the pipeline read once in, files
 * out, no IO. A seam for tests, which count calls and write marker files instead of Java.
 */
@FunctionalInterface
interface SourceGenerator {

  /** Generates the files for {@code services}, sorted by path. */
  List<GeneratedFile> generate(List<ServiceModel> services);

  /** Courier's Java generators. */
  static SourceGenerator courier() {
    return new CourierJava();
  }

  /** {@link JavaSourceGenerator}, as a class rather than a method reference, which a cold JVM would spin. */
  final class CourierJava implements SourceGenerator {
    @Override
    public List<GeneratedFile> generate(List<ServiceModel> services) {
      return JavaSourceGenerator.generate(services);
    }
  }
}
