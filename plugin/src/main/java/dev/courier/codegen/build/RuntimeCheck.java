package dev.courier.codegen.build;

import java.util.List;
import java.util.Optional;

/**
 * Whether the project can compile what Courier generates, decided before javac runs: message
 * classes need {@code com.google.protobuf:protobuf-java}, Courier's service classes need
 * {@code dev.courier:courier-runtime} (which brings protobuf-java and grpc). Without them javac
 * reports a couple of hundred {@code package ... does not exist} errors that say nothing about
 * the fix; this says which dependency to add, and whether the {@code courier-bom} import is
 * missing too. Immutable.
 *
 * @param enabled false when the build tool gives no dependency list (the protoc plugin)
 * @param hasProtobufJava whether protobuf-java is on the classpath the sources compile against
 * @param hasRuntime whether courier-runtime is
 * @param runtimeManaged whether the project's dependency management gives courier-runtime a
 *     version (it imports courier-bom, or inherits from a pom that does)
 * @param courierVersion the version to suggest, the plugin's own
 * @since 0.1.0
 */
public record RuntimeCheck(
    boolean enabled, boolean hasProtobufJava, boolean hasRuntime, boolean runtimeManaged, String courierVersion) {

  /** No check: for builds whose classpath Courier does not see. */
  public static RuntimeCheck none() {
    return new RuntimeCheck(false, true, true, true, "");
  }

  /** The check of a classpath. */
  public static RuntimeCheck of(boolean hasProtobufJava, boolean hasRuntime, boolean runtimeManaged,
      String courierVersion) {
    return new RuntimeCheck(true, hasProtobufJava, hasRuntime, runtimeManaged, courierVersion);
  }

  /** What the incremental fingerprint keeps of it: a new dependency must make the check run again. */
  String fingerprint() {
    return enabled + "," + hasProtobufJava + "," + hasRuntime + "," + runtimeManaged;
  }

  /**
   * The failure to report, or empty when the generated sources will find their dependencies.
   *
   * @param hasServices whether Courier generates service classes (else only message classes)
   * @param generatesMessages whether protoc's message classes are generated
   */
  public Optional<BuildException> failure(boolean hasServices, boolean generatesMessages) {
    if (!enabled || hasRuntime || (!hasServices && (hasProtobufJava || !generatesMessages))) {
      return Optional.empty();
    }
    String runtime = "  <dependency><groupId>dev.courier</groupId><artifactId>courier-runtime</artifactId></dependency>";
    if (!hasServices) {
      return Optional.of(new BuildException("Courier: the generated message classes need protobuf-java, which is not"
          + " among the project's dependencies; add com.google.protobuf:protobuf-java, or dev.courier:courier-runtime,"
          + " which brings it"));
    }
    if (runtimeManaged) {
      return Optional.of(new BuildException("Courier: the generated service classes need dev.courier:courier-runtime,"
          + " which is not among the project's dependencies; add it to <dependencies> (without a version: the"
          + " courier-bom the project imports gives it)", List.of("add to <dependencies>:", runtime)));
    }
    return Optional.of(new BuildException("Courier: the generated service classes need dev.courier:courier-runtime,"
        + " which is not among the project's dependencies, and the project does not import courier-bom; add both"
        + " (the lines above)", List.of(
            "add to <dependencyManagement><dependencies>:",
            "  <dependency><groupId>dev.courier</groupId><artifactId>courier-bom</artifactId><version>" + courierVersion
                + "</version><type>pom</type><scope>import</scope></dependency>",
            "and to <dependencies>:",
            runtime)));
  }
}
