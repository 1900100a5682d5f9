package dev.courier.plugin;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.ProjectDependenciesResolver;
import org.codehaus.plexus.build.BuildContext;
import org.eclipse.aether.RepositorySystem;

/**
 * Generates gRPC-compatible Java for the {@code .proto} services under {@code src/test/proto}
 * (test doubles, fixtures) into {@link #testOutputDirectory}, which becomes a test compile source
 * root. Imports resolve from the test protos, then from the main {@link #protoSourceRoot} (its
 * message classes come from the main output, so they are not generated again), then from every
 * dependency jar including test scope. No reference docs are rendered for test protos. Its state
 * lives in {@code target/courier-test}, apart from {@code courier:generate}'s.
 *
 * @since 0.1.0
 */
// Only an adapter from Maven to CodegenPipeline; the flow is in AbstractGenerateMojo. (Not in the
// Javadoc: `mvn courier:help` drops {@link} targets and would print "the flow is in .".)
@Mojo(name = "generate-test", defaultPhase = LifecyclePhase.GENERATE_TEST_SOURCES, threadSafe = true)
public final class GenerateTestMojo extends AbstractGenerateMojo {

  /**
   * The folder with the test {@code .proto} files; the first folder on protoc's import path. A
   * missing or empty folder logs one line and generates nothing.
   *
   * @since 0.1.0
   */
  @Parameter(property = "courier.testProtoSourceRoot", defaultValue = "${project.basedir}/src/test/proto")
  private File testProtoSourceRoot;

  /**
   * The main {@code .proto} folder; test protos may import from it. Nothing is generated from it
   * by this goal.
   *
   * @since 0.1.0
   */
  @Parameter(property = "courier.protoSourceRoot", defaultValue = "${project.basedir}/src/main/proto")
  private File protoSourceRoot;

  /**
   * Where the generated test sources go; added to the project's test compile source roots.
   * Courier deletes only files it wrote there itself.
   *
   * @since 0.1.0
   */
  @Parameter(property = "courier.testOutputDirectory",
      defaultValue = "${project.build.directory}/generated-test-sources/courier")
  private File testOutputDirectory;

  /** Created by Maven, which injects the resolver used to fetch protoc and the IDE's build contexts. */
  @Inject
  public GenerateTestMojo(RepositorySystem repositorySystem, BuildContext buildContext,
      org.sonatype.plexus.build.incremental.BuildContext legacyContext,
      ProjectDependenciesResolver dependenciesResolver) {
    super(repositorySystem, buildContext, legacyContext, dependenciesResolver);
  }

  @Override
  protected Set<String> dependencyScopes() {
    return Set.of("compile", "provided", "system", "runtime", "test");
  }

  @Override
  protected File protoSourceRoot() {
    return testProtoSourceRoot;
  }

  @Override
  protected File outputDirectory() {
    return testOutputDirectory;
  }

  @Override
  protected String workFolderName() {
    return "courier-test";
  }

  @Override
  protected String protoSourceRootName() {
    return "testProtoSourceRoot";
  }

  @Override
  protected String outputDirectoryName() {
    return "testOutputDirectory";
  }

  @Override
  protected Map<String, File> extraInputFolders() {
    return protoSourceRoot == null ? Map.of() : Map.of("protoSourceRoot", protoSourceRoot);
  }

  @Override
  protected List<File> extraImportRoots() {
    return protoSourceRoot == null ? List.of() : List.of(protoSourceRoot);
  }

  @Override
  protected void addSourceRoot(MavenProject project, String directory) {
    project.addTestCompileSourceRoot(directory);
  }
}
