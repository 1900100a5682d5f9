package dev.courier.plugin;

import dev.courier.codegen.build.BuildException;
import dev.courier.codegen.build.CodegenOutcome;
import dev.courier.codegen.build.CodegenPipeline;
import dev.courier.codegen.build.CodegenRequest;
import dev.courier.codegen.build.ProtocSource;
import dev.courier.codegen.build.RuntimeCheck;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.DependencyManagement;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.ProjectDependenciesResolver;
import org.codehaus.plexus.build.BuildContext;
import org.eclipse.aether.RepositorySystem;

/**
 * What {@code courier:generate} and {@code courier:generate-test} share: the parameters that do
 * not depend on main or test, and the one flow of an adapter: skip check, an immutable
 * {@link CodegenRequest}, {@link CodegenPipeline}, then the outcome mapped to source roots, IDE
 * refreshes and markers, or a {@link MojoFailureException}. Subclasses say which folders they use.
 *
 * <p>Maven creates one instance per execution; not meant to be shared between threads.
 *
 * @since 0.1.0
 */
public abstract class AbstractGenerateMojo extends AbstractMojo {

  /**
   * Ant-style patterns, relative to the proto source root, of the files to generate from.
   * Other files below the root can still be imported.
   *
   * @since 0.1.0
   */
  @Parameter(property = "courier.includes", defaultValue = "**/*.proto")
  private List<String> includes;

  /**
   * Ant-style patterns of files not to generate from; they win over {@code includes}. None by
   * default.
   *
   * @since 0.1.0
   */
  @Parameter(property = "courier.excludes")
  private List<String> excludes;

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
   * Whether protoc also writes the message classes ({@code --java_out}) into the output folder.
   * Set it to {@code false} when they come from another jar.
   *
   * @since 0.1.0
   */
  @Parameter(property = "courier.generateMessages", defaultValue = "true")
  private String generateMessages;

  /**
   * Skips the goal: nothing is generated and no source root is added.
   *
   * @since 0.1.0
   */
  @Parameter(property = "courier.skip", defaultValue = "false")
  private String skip;

  /**
   * Base names for the generated types of services in {@code .proto} files you cannot edit (a
   * dependency's, or grpc's interop protos), instead of a {@code java_name} option in the file: one
   * element per service, named by the full service name, such as
   * {@code <javaNames><grpc.testing.TestService>GrpcTestService</grpc.testing.TestService></javaNames>}
   * (Courier then writes {@code GrpcTestService}, {@code GrpcTestServiceClient}, ...). A name
   * given here wins over the file's {@code java_name}; a service that is not generated is an
   * error. None by default.
   *
   * @since 0.1.0
   */
  @Parameter
  private Map<String, String> javaNames;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  private MavenSession session;

  private final RepositorySystem repositorySystem;
  private final BuildContext buildContext;
  private final boolean commandLine;
  private final ProjectDependenciesResolver dependenciesResolver;

  /**
   * @param repositorySystem resolves protoc
   * @param buildContext the IDE's view of the build (Eclipse m2e); on the command line, Plexus's
   *     default, which reports every file as changed and keeps no markers
   * @param legacyContext the older API's context, which {@code buildContext} delegates to: the
   *     plain file system one on the command line, the IDE's own in m2e
   * @param dependenciesResolver resolves the project's dependencies when {@link ProjectClasspath}
   *     cannot reuse the last resolution
   */
  protected AbstractGenerateMojo(RepositorySystem repositorySystem, BuildContext buildContext,
      org.sonatype.plexus.build.incremental.BuildContext legacyContext,
      ProjectDependenciesResolver dependenciesResolver) {
    this.repositorySystem = Objects.requireNonNull(repositorySystem, "repositorySystem");
    this.dependenciesResolver = Objects.requireNonNull(dependenciesResolver, "dependenciesResolver");
    this.buildContext = Objects.requireNonNull(buildContext, "buildContext");
    // On the command line a marker is only a second copy of the error line, in a form no IDE links.
    this.commandLine = legacyContext instanceof org.sonatype.plexus.build.incremental.DefaultBuildContext;
  }

  /** The folder with the {@code .proto} files to generate from. */
  protected abstract File protoSourceRoot();

  /** The folder the Java sources go to. */
  protected abstract File outputDirectory();

  /** The name of this goal's work folder below {@code target/}, so two goals never share state. */
  protected abstract String workFolderName();

  /** Folders searched for imports after the proto source root and before dependency jars. */
  protected List<File> extraImportRoots() {
    return List.of();
  }

  /** Adds the request's reference docs, when this goal renders any. */
  protected CodegenRequest withDocs(CodegenRequest request, PluginInfo info) throws MojoFailureException {
    return request;
  }

  /** The folders this goal writes to besides {@link #outputDirectory()}, by parameter name. */
  protected Map<String, File> extraOutputFolders() {
    return Map.of();
  }

  /** The folders this goal reads besides the proto source root, by parameter name. */
  protected Map<String, File> extraInputFolders() {
    return Map.of();
  }

  /** The names of the parameters {@link #protoSourceRoot()} and {@link #outputDirectory()} come from. */
  protected abstract String protoSourceRootName();

  /** See {@link #protoSourceRootName()}. */
  protected abstract String outputDirectoryName();

  /**
   * A boolean parameter: Maven would read {@code maybe} as false, so the goal takes the text and
   * refuses what is not {@code true} or {@code false}.
   */
  protected static boolean flag(String name, String value) throws MojoFailureException {
    try {
      return ParameterChecks.flag(name, value);
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException(e.getMessage());
    }
  }

  /** The dependency scopes whose jars this goal imports from and compiles against. */
  protected abstract Set<String> dependencyScopes();

  /** Registers {@code directory} as a compile (or test compile) source root of {@code project}. */
  protected abstract void addSourceRoot(MavenProject project, String directory);

  @Override
  public void execute() throws MojoFailureException {
    if (flag("skip", skip)) {
      getLog().info("Courier: skipped (courier.skip=true)");
      return;
    }
    checkFolders();
    MavenBuildLog log = new MavenBuildLog(getLog());
    CodegenRequest request = request();
    IdeFeedback ide = new IdeFeedback(buildContext);
    if (ide.nothingChanged(request)) {
      log.info("Courier: no .proto file or template changed since the last IDE build, generation skipped");
      if (outputDirectory().isDirectory()) {
        addSourceRoot(project, outputDirectory().getAbsolutePath());
      }
      return;
    }
    if (!commandLine) {
      ide.clearMarkers(request);
    }
    CodegenOutcome outcome;
    try {
      outcome = new CodegenPipeline(log).run(request);
    } catch (BuildException e) {
      e.details().forEach(log::error);
      if (!commandLine) {
        ide.mark(e, request);
      }
      throw new MojoFailureException(e.getMessage(), e);
    }
    ide.refresh(request);
    if (outcome.hasSources()) {
      addSourceRoot(project, outputDirectory().getAbsolutePath());
    }
  }

  private void checkFolders() throws MojoFailureException {
    List<ParameterChecks.Folder> outputs = new ArrayList<>();
    outputs.add(new ParameterChecks.Folder(outputDirectoryName(), outputDirectory().toPath()));
    for (Map.Entry<String, File> extra : extraOutputFolders().entrySet()) {
      outputs.add(new ParameterChecks.Folder(extra.getKey(), extra.getValue().toPath()));
    }
    List<ParameterChecks.Folder> inputs = new ArrayList<>();
    for (Map.Entry<String, File> extra : extraInputFolders().entrySet()) {
      inputs.add(new ParameterChecks.Folder(extra.getKey(), extra.getValue().toPath()));
    }
    Map<String, String> userProperties = new HashMap<>();
    java.util.Properties given = session == null ? null : session.getUserProperties();
    if (given != null) {
      for (Map.Entry<Object, Object> property : given.entrySet()) {
        userProperties.put(String.valueOf(property.getKey()), String.valueOf(property.getValue()));
      }
    }
    List<String> problems = ParameterChecks.folderProblems(project.getBasedir().toPath(),
        Path.of(project.getBuild().getDirectory()),
        new ParameterChecks.Folder(protoSourceRootName(), protoSourceRoot().toPath()), outputs, inputs,
        userProperties);
    if (!problems.isEmpty()) {
      problems.subList(1, problems.size()).forEach(getLog()::error);
      throw new MojoFailureException(problems.get(0));
    }
  }

  private CodegenRequest request() throws MojoFailureException {
    PluginInfo info = PluginInfo.load();
    Path work = Path.of(project.getBuild().getDirectory(), workFolderName());
    String version = protocVersion == null || protocVersion.isBlank() ? info.protocVersion() : protocVersion.trim();
    ProtocSource protoc = protocExecutable != null
        ? ProtocSource.local(protocExecutable.toPath())
        : new MavenProtocSource(repositorySystem, session.getRepositorySession(),
            project.getRemoteProjectRepositories(), version, work.resolve("protoc"));
    List<ProjectClasspath.Jar> classpath = ProjectClasspath.of(project, session, dependenciesResolver,
        dependencyScopes(), work.resolve("classpath.txt"));
    CodegenRequest request = new CodegenRequest(protoSourceRoot().toPath(), includes, excludes,
        outputDirectory().toPath(), work, importPaths(classpath), flag("generateMessages", generateMessages), protoc,
        info.version());
    return withDocs(request, info)
        .withJavaNames(javaNames == null ? Map.of() : javaNames)
        .withRuntimeCheck(runtimeCheck(classpath, info));
  }

  /** What the project's resolved dependencies say about the runtime the generated code needs. */
  private RuntimeCheck runtimeCheck(List<ProjectClasspath.Jar> classpath, PluginInfo info) {
    boolean protobuf = false;
    boolean runtime = false;
    for (ProjectClasspath.Jar a : classpath) {
      protobuf |= a.groupId().equals("com.google.protobuf") && a.artifactId().equals("protobuf-java");
      runtime |= a.groupId().equals("dev.courier") && a.artifactId().equals("courier-runtime");
    }
    DependencyManagement managed = project.getDependencyManagement();
    boolean runtimeManaged = false;
    if (managed != null) {
      for (org.apache.maven.model.Dependency d : managed.getDependencies()) {
        runtimeManaged |= d.getGroupId().equals("dev.courier") && d.getArtifactId().equals("courier-runtime");
      }
    }
    return RuntimeCheck.of(protobuf, runtime, runtimeManaged, info.version());
  }

  /** Extra import roots first (as folders), then the resolved dependencies in classpath order. */
  private List<Path> importPaths(List<ProjectClasspath.Jar> classpath) {
    List<Path> paths = new ArrayList<>();
    for (File root : extraImportRoots()) {
      if (root.isDirectory()) {
        paths.add(root.toPath());
      }
    }
    for (ProjectClasspath.Jar jar : classpath) {
      if (jar.file() != null) {
        paths.add(jar.file());
      }
    }
    return paths;
  }
}
