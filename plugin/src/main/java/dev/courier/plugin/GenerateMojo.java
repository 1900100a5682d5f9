package dev.courier.plugin;

import dev.courier.codegen.build.CodegenRequest;
import dev.courier.codegen.build.DocsRequest;
import java.io.File;
import java.util.Map;
import java.util.Set;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.ProjectDependenciesResolver;
import org.codehaus.plexus.build.BuildContext;
import org.eclipse.aether.RepositorySystem;

/**
 * Generates gRPC-compatible Java for the project's {@code .proto} services: runs protoc once over
 * all of them (message classes with {@code --java_out}, plus a descriptor set), then writes the
 * Courier interface, client and server binding of every service into {@link #outputDirectory},
 * which becomes a compile source root, and renders the reference docs and configuration
 * skeletons into {@link #resourcesOutputDirectory}. An unchanged set of inputs (protos, templates,
 * parameters, plugin) is not generated again.
 *
 * @since 0.1.0
 */
// Only an adapter from Maven to CodegenPipeline; the flow is in AbstractGenerateMojo. (Not in the
// Javadoc: `mvn courier:help` drops {@link} targets and would print "the flow is in .".)
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractGenerateMojo {

  /**
   * The folder with the project's {@code .proto} files; it is also the first folder on protoc's
   * import path. A missing or empty folder logs one line and generates nothing.
   *
   * @since 0.1.0
   */
  @Parameter(property = "courier.protoSourceRoot", defaultValue = "${project.basedir}/src/main/proto")
  private File protoSourceRoot;

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
   * Where the reference docs (Markdown, HTML) and configuration skeletons go, one folder per
   * proto package. It is deliberately <em>not</em> added as a compile source root nor as a
   * resource root: these files document the services for people and are not needed at run time,
   * so they stay out of the jar (add the folder as a resource yourself to ship the skeletons).
   * Courier deletes only files it wrote there itself.
   *
   * @since 0.1.0
   */
  @Parameter(property = "courier.resourcesOutputDirectory",
      defaultValue = "${project.build.directory}/generated-resources/courier")
  private File resourcesOutputDirectory;

  /**
   * A folder of FreeMarker templates with {@code service/}, {@code file/} and {@code build/}
   * subfolders: a template with the path of one of Courier's defaults (such as
   * {@code service/reference.md.ftl}) replaces it, any other adds an output. Used only when the
   * folder exists; its contents are part of the incremental fingerprint, so an edited template
   * regenerates the docs.
   *
   * @since 0.1.0
   */
  @Parameter(property = "courier.templateDirectory", defaultValue = "${project.basedir}/src/main/courier-templates")
  private File templateDirectory;

  /**
   * Whether to render the reference docs and configuration skeletons at all.
   *
   * @since 0.1.0
   */
  @Parameter(property = "courier.generateDocs", defaultValue = "true")
  private String generateDocs;

  /** Created by Maven, which injects the resolver used to fetch protoc and the IDE's build contexts. */
  @Inject
  public GenerateMojo(RepositorySystem repositorySystem, BuildContext buildContext,
      org.sonatype.plexus.build.incremental.BuildContext legacyContext,
      ProjectDependenciesResolver dependenciesResolver) {
    super(repositorySystem, buildContext, legacyContext, dependenciesResolver);
  }

  @Override
  protected Set<String> dependencyScopes() {
    return Set.of("compile", "provided", "system");
  }

  @Override
  protected File protoSourceRoot() {
    return protoSourceRoot;
  }

  @Override
  protected File outputDirectory() {
    return outputDirectory;
  }

  @Override
  protected String workFolderName() {
    return "courier";
  }

  @Override
  protected String protoSourceRootName() {
    return "protoSourceRoot";
  }

  @Override
  protected String outputDirectoryName() {
    return "outputDirectory";
  }

  @Override
  protected Map<String, File> extraOutputFolders() {
    return Map.of("resourcesOutputDirectory", resourcesOutputDirectory);
  }

  @Override
  protected Map<String, File> extraInputFolders() {
    return templateDirectory == null ? Map.of() : Map.of("templateDirectory", templateDirectory);
  }

  @Override
  protected CodegenRequest withDocs(CodegenRequest request, PluginInfo info) throws MojoFailureException {
    if (!flag("generateDocs", generateDocs)) {
      return request;
    }
    return request.withDocs(DocsRequest.of(resourcesOutputDirectory.toPath(),
        templateDirectory == null ? null : templateDirectory.toPath(), "Courier " + info.version()));
  }

  @Override
  protected void addSourceRoot(MavenProject project, String directory) {
    project.addCompileSourceRoot(directory);
  }
}
