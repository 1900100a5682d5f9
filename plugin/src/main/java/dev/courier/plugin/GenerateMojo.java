package dev.courier.plugin;

import dev.courier.codegen.build.BuildException;
import dev.courier.codegen.build.CodegenOutcome;
import dev.courier.codegen.build.CodegenPipeline;
import dev.courier.codegen.build.CodegenRequest;
import dev.courier.codegen.build.ProtocSource;
import dev.courier.codegen.build.SourceGenerator;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javax.inject.Inject;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;

/**
 * Generates gRPC-compatible Java for the project's {@code .proto} services: runs protoc once over
 * all of them (message classes with {@code --java_out}, plus a descriptor set), then writes the
 * Courier interface, client and server binding of every service into {@link #outputDirectory},
 * which becomes a compile source root. An unchanged set of inputs is not generated again.
 *
 * <p>This class only adapts Maven to {@link CodegenPipeline}: skip check, then an immutable
 * {@link CodegenRequest}, then the pipeline, its failures mapped to a {@link MojoFailureException}.
 *
 * @since 0.1.0
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true,
    requiresDependencyResolution = ResolutionScope.COMPILE)
public final class GenerateMojo extends AbstractMojo {

  /**
   * The folder with the project's {@code .proto} files; it is also the first folder on protoc's
   * import path. A missing or empty folder logs one line and generates nothing.
   *
   * @since 0.1.0
   */
  @Parameter(property = "courier.protoSourceRoot", defaultValue = "${project.basedir}/src/main/proto")
  private File protoSourceRoot;

  /**
   * Ant-style patterns, relative to {@link #protoSourceRoot}, of the files to generate from.
   * Other files below the root can still be imported.
   *
   * @since 0.1.0
   */
  @Parameter(property = "courier.includes", defaultValue = "**/*.proto")
  private List<String> includes;

  /**
   * Ant-style patterns of files not to generate from; they win over {@link #includes}. None by
   * default.
   *
   * @since 0.1.0
   */
  @Parameter(property = "courier.excludes")
  private List<String> excludes;

  /**
   * Where the generated Java sources go; added to the project's compile source roots. Courier
   * deletes only files it wrote there itself.
   *
   * @since 0.1.0
   */
  @Parameter(property = "courier.outputDirectory",
      defaultValue = "${project.build.directory}/generated-sources/courier")
  private File outputDirectory;

  /**
   * The version of {@code com.google.protobuf:protoc} to resolve from the project's repositories.
   * Defaults to the version Courier is built and tested with (the parent pom's
   * {@code protoc.version}, 4.36.2 for Courier 0.1.0); the project's {@code protobuf-java} must be
   * at least as new.
   *
   * @since 0.1.0
   */
  @Parameter(property = "courier.protocVersion")
  private String protocVersion;

  /**
   * A local protoc binary to use instead of resolving one, such as {@code /usr/bin/protoc}; for
   * platforms with no published protoc, or offline builds. Not set by default.
   *
   * @since 0.1.0
   */
  @Parameter(property = "courier.protocExecutable")
  private File protocExecutable;

  /**
   * Whether protoc also writes the message classes ({@code --java_out}) into
   * {@link #outputDirectory}. Set it to {@code false} when they come from another jar.
   *
   * @since 0.1.0
   */
  @Parameter(property = "courier.generateMessages", defaultValue = "true")
  private boolean generateMessages;

  /**
   * Skips the goal: nothing is generated and no source root is added.
   *
   * @since 0.1.0
   */
  @Parameter(property = "courier.skip", defaultValue = "false")
  private boolean skip;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  private MavenSession session;

  private final RepositorySystem repositorySystem;

  /** Created by Maven, which injects the resolver used to fetch protoc. */
  @Inject
  public GenerateMojo(RepositorySystem repositorySystem) {
    this.repositorySystem = Objects.requireNonNull(repositorySystem, "repositorySystem");
  }

  @Override
  public void execute() throws MojoFailureException {
    if (skip) {
      getLog().info("Courier: skipped (courier.skip=true)");
      return;
    }
    MavenBuildLog log = new MavenBuildLog(getLog());
    CodegenOutcome outcome;
    try {
      outcome = new CodegenPipeline(SourceGenerator.courier(), log).run(request());
    } catch (BuildException e) {
      e.details().forEach(log::error);
      throw new MojoFailureException(e.getMessage(), e);
    }
    if (outcome.hasSources()) {
      project.addCompileSourceRoot(outputDirectory.getAbsolutePath());
    }
  }

  private CodegenRequest request() {
    PluginInfo info = PluginInfo.load();
    Path work = Path.of(project.getBuild().getDirectory(), "courier");
    String version = protocVersion == null || protocVersion.isBlank() ? info.protocVersion() : protocVersion.trim();
    ProtocSource protoc = protocExecutable != null
        ? ProtocSource.local(protocExecutable.toPath())
        : new MavenProtocSource(repositorySystem, session.getRepositorySession(),
            project.getRemoteProjectRepositories(), version, work.resolve("protoc"));
    return new CodegenRequest(protoSourceRoot.toPath(), includes, excludes, outputDirectory.toPath(), work,
        dependencyPaths(), generateMessages, protoc, info.version());
  }

  private List<Path> dependencyPaths() {
    return project.getArtifacts().stream()
        .map(Artifact::getFile)
        .filter(Objects::nonNull)
        .map(File::toPath)
        .toList();
  }
}
